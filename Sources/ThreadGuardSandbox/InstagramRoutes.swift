import Foundation
import HTTPTypes
import Hummingbird
import ThreadGuardCore

/// Instagram Graph API endpoints (under `/instagram`): the account's media, each media's top-level comments with
/// their replies nested in `replies.data`, hide by `hide=true`, replies, and private replies by comment id.
enum InstagramRoutes {
    static let wire = SandboxWire(platform: .instagram)

    static func register(on router: Router<BasicRequestContext>, state: SandboxState, baseURL: @escaping @Sendable () -> String) {
        let group = router.group("instagram")
        group.get("/:version/:id/media") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            guard let world = await state.world(platform: .instagram, account: id) else { return wire.notFound(id) }
            let start = FacebookRoutes.cursorParameter(request)
            let limit = FacebookRoutes.limitParameter(request)
            let slice = Array(world.posts.dropFirst(start).prefix(limit))
            let data: [[String: Any]] = slice.map { post in
                ["id": post.id, "caption": post.message, "timestamp": Timestamp.graph(post.createdAt), "username": world.accountName,
                 "permalink": "https://www.instagram.com/p/\(post.id)/", "media_type": "IMAGE"]
            }
            let more = start + slice.count < world.posts.count
            return wire.json(FacebookRoutes.page(data: data, start: start, count: slice.count, more: more, request: request, base: baseURL()),
                             count: await state.requests(on: wire.platform))
        }

        group.get("/:version/:id/comments") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            guard await state.post(id) != nil else { return wire.notFound(id) }
            let all = await state.comments(ofPost: id)
            let top = all.filter { $0.parentID == nil }
            let start = FacebookRoutes.cursorParameter(request)
            let limit = FacebookRoutes.limitParameter(request)
            let slice = Array(top.dropFirst(start).prefix(limit))
            var data: [[String: Any]] = []
            for comment in slice {
                var row = shape(comment)
                let replies = all.filter { $0.parentID == comment.id }
                if !replies.isEmpty { row["replies"] = ["data": replies.map { reply -> [String: Any] in
                    var r = shape(reply)
                    r["parent_id"] = comment.id
                    return r
                }] }
                data.append(row)
            }
            let more = start + slice.count < top.count
            return wire.json(FacebookRoutes.page(data: data, start: start, count: slice.count, more: more, request: request, base: baseURL()),
                             count: await state.requests(on: wire.platform))
        }

        // The Conversations API: the account's conversation with one person (`user_id`, their Instagram-scoped id),
        // with its messages when `fields` asks for them.
        group.get("/:version/:id/conversations") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            guard let world = await state.world(platform: .instagram, account: id) else { return wire.notFound(id) }
            guard request.uri.queryParameters.get("platform") == "instagram" else {
                return wire.badRequest("(#100) The parameter platform is required")
            }
            guard let person = request.uri.queryParameters.get("user_id").map({ String($0) }) else {
                return wire.json(["data": []], count: await state.requests(on: wire.platform))
            }
            let sent = await state.messages(on: .instagram, to: person)
            if sent.isEmpty { return wire.json(["data": []], count: await state.requests(on: wire.platform)) }
            let messages = sent.map { ["id": $0.id, "message": $0.text, "from": ["id": world.accountID, "username": world.accountName]] as [String: Any] }
            return wire.json(["data": [["id": "aWdfconv_\(person)", "messages": ["data": Array(messages.reversed())]]]],
                             count: await state.requests(on: wire.platform))
        }

        group.get("/:version/:id") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            guard let comment = await state.comment(id) else { return wire.notFound(id) }
            return wire.json(shape(comment), count: await state.requests(on: wire.platform))
        }

        group.post("/:version/:id") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            let form = SandboxWire.form(await SandboxWire.body(request))
            guard let flag = form["hide"] ?? request.uri.queryParameters.get("hide").map { String($0) }, flag == "true" || flag == "false" else {
                return wire.badRequest("(#100) The parameter hide is required")
            }
            guard await state.setHidden(id, flag == "true") else { return wire.notFound(id) }
            return wire.json(["success": true], count: await state.requests(on: wire.platform))
        }

        group.delete("/:version/:id") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            guard await state.removeComment(id) else { return wire.notFound(id) }
            return wire.json(["success": true], count: await state.requests(on: wire.platform))
        }

        group.post("/:version/:id/replies") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            let form = SandboxWire.form(await SandboxWire.body(request))
            guard await state.comment(id) != nil else { return wire.notFound(id) }
            guard let message = form["message"], !message.isEmpty else { return wire.badRequest("(#100) The parameter message is required") }
            let created = await state.created(platform: .instagram, kind: "public_reply", target: id, text: message)
            // The reply appears under the comment, by the account, as it does on Instagram.
            if let target = await state.comment(id), let world = await state.world(platform: .instagram, account: nil) {
                await state.addComment(SandboxWorld.Comment(id: "\(target.postID)_\(created)", postID: target.postID, parentID: target.parentID ?? id,
                                                            authorID: world.accountID, authorName: world.accountName, message: message, createdAt: Date()))
            }
            return wire.json(["id": created], count: await state.requests(on: wire.platform))
        }

        group.post("/:version/:id/messages") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let payload = SandboxWire.jsonBody(await SandboxWire.body(request))
            guard let recipient = payload["recipient"] as? [String: Any], let commentID = recipient["comment_id"] as? String,
                  let message = payload["message"] as? [String: Any], let text = message["text"] as? String else {
                return wire.badRequest("(#100) The parameter recipient is required")
            }
            guard let commented = await state.comment(commentID) else { return wire.badRequest("(#100) No matching user found") }
            // One private reply per comment, as on Facebook.
            guard await state.noteReply(key: "comment:\(commentID)") else {
                return wire.json(["error": ["message": "Activity already replied to", "type": "OAuthException", "code": 10900]], status: .badRequest)
            }
            let created = await state.created(platform: .instagram, kind: "private_reply", target: commentID, text: text)
            await state.rememberMessage(on: .instagram, to: commented.authorID, text: text, id: created)
            return wire.json(["recipient_id": commented.authorID, "message_id": created], count: await state.requests(on: wire.platform))
        }
    }

    static func shape(_ comment: SandboxWorld.Comment) -> [String: Any] {
        ["id": comment.id, "text": comment.message, "timestamp": Timestamp.graph(comment.createdAt), "username": comment.authorName,
         "from": ["id": comment.authorID, "username": comment.authorName], "hidden": comment.isHidden, "like_count": 0]
    }
}
