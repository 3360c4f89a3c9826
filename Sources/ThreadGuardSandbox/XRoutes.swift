import Foundation
import HTTPTypes
import Hummingbird
import ThreadGuardCore

/// X API v2 endpoints (under `/x`): the account's tweets, a conversation's replies through recent search (newest
/// first, `since_id`, `next_token`, authors in `includes.users`), hide replies, replies, and direct messages.
enum XRoutes {
    static let wire = SandboxWire(platform: .x)

    static func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        let group = router.group("x")
        group.get("/2/users/:id/tweets") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            guard let world = await state.world(platform: .x, account: id) else { return wire.notFound(id) }
            let rows = world.posts.map { post -> [String: Any] in
                ["id": post.id, "text": post.message, "created_at": SandboxWire.iso(post.createdAt), "author_id": world.accountID,
                 "conversation_id": post.id, "edit_history_tweet_ids": [post.id]]
            }
            return wire.json(page(rows, request, token: "pagination_token"), count: await state.requests(on: wire.platform))
        }

        group.get("/2/tweets/search/recent") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let query = request.uri.queryParameters.get("query").map { String($0) } ?? ""
            guard query.hasPrefix("conversation_id:") else { return wire.badRequest("this sandbox answers conversation_id: queries only") }
            let conversation = String(query.dropFirst("conversation_id:".count))
            var replies = await state.comments(ofPost: conversation).sorted { $0.createdAt > $1.createdAt }
            if let since = request.uri.queryParameters.get("since_id").map { String($0) } {
                replies = replies.filter { numeric($0.id) > numeric(since) }
            }
            let world = await state.world(platform: .x, account: nil)
            var rows: [[String: Any]] = []
            var users: [String: [String: Any]] = [:]
            for reply in replies {
                let parent = reply.parentID ?? conversation
                rows.append(["id": reply.id, "text": reply.message, "created_at": SandboxWire.iso(reply.createdAt), "author_id": reply.authorID,
                             "conversation_id": conversation, "in_reply_to_user_id": world?.accountID ?? "",
                             "referenced_tweets": [["type": "replied_to", "id": parent]], "edit_history_tweet_ids": [reply.id]])
                users[reply.authorID] = ["id": reply.authorID, "username": reply.authorName, "name": reply.authorName]
            }
            var body = page(rows, request, token: "next_token")
            if !rows.isEmpty, var data = body["data"] as? [[String: Any]] {
                let ids = Set(data.compactMap { $0["author_id"] as? String })
                body["includes"] = ["users": users.filter { ids.contains($0.key) }.map(\.value)]
                data = data.map { $0 }
                body["data"] = data
            }
            return wire.json(body, count: await state.requests(on: wire.platform))
        }

        group.put("/2/tweets/:id/hidden") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            guard let hidden = SandboxWire.jsonBody(await SandboxWire.body(request))["hidden"] as? Bool else { return wire.badRequest("hidden is required") }
            guard await state.setHidden(id, hidden) else { return wire.notFound(id) }
            return wire.json(["data": ["hidden": hidden]], count: await state.requests(on: wire.platform))
        }

        group.get("/2/tweets/:id") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            guard let tweet = await state.comment(id) else { return wire.notFound(id) }
            return wire.json(["data": ["id": tweet.id, "text": tweet.message, "author_id": tweet.authorID]], count: await state.requests(on: wire.platform))
        }

        group.delete("/2/tweets/:id") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            guard await state.removeComment(id) else { return wire.notFound(id) }
            return wire.json(["data": ["deleted": true]], count: await state.requests(on: wire.platform))
        }

        group.post("/2/tweets") { request, _ in
            if let refused = await wire.gate(request, state) { return refused }
            let payload = SandboxWire.jsonBody(await SandboxWire.body(request))
            guard let text = payload["text"] as? String, !text.isEmpty else { return wire.badRequest("text is required") }
            let target = (payload["reply"] as? [String: Any])?["in_reply_to_tweet_id"] as? String ?? ""
            let created = await state.created(platform: .x, kind: "public_reply", target: target, text: text)
            // The reply joins the conversation under the account, with a snowflake id like any post.
            var id = created
            if let parent = await state.comment(target), let world = await state.world(platform: .x, account: nil) {
                id = String(1_790_000_000_900_000_000 + Int(created.split(separator: "-").last ?? "0")!)
                await state.addComment(SandboxWorld.Comment(id: id, postID: parent.postID, parentID: target, authorID: world.accountID,
                                                            authorName: world.accountName, message: text, createdAt: Date()))
            }
            return wire.json(["data": ["id": id, "text": text]], status: .created, count: await state.requests(on: wire.platform))
        }

        group.post("/2/dm_conversations/with/:participant/messages") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let participant = context.parameters.get("participant") ?? ""
            guard let text = SandboxWire.jsonBody(await SandboxWire.body(request))["text"] as? String, !text.isEmpty else {
                return wire.badRequest("text is required")
            }
            _ = await state.noteReply(key: "dm:\(participant):\(text)")
            let event = await state.created(platform: .x, kind: "private_reply", target: "user:\(participant)", text: text)
            await state.rememberMessage(on: .x, to: participant, text: text, id: event)
            return wire.json(["data": ["dm_conversation_id": "\(participant)-sandbox", "dm_event_id": event]], status: .created, count: await state.requests(on: wire.platform))
        }

        group.get("/2/dm_conversations/with/:participant/dm_events") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let participant = context.parameters.get("participant") ?? ""
            let sent = await state.messages(on: .x, to: participant)
            if sent.isEmpty { return wire.json(["meta": ["result_count": 0]], count: await state.requests(on: wire.platform)) }
            let world = await state.world(platform: .x, account: nil)
            let data = sent.map { ["id": $0.id, "event_type": "MessageCreate", "text": $0.text, "sender_id": world?.accountID ?? ""] }
            return wire.json(["data": data, "meta": ["result_count": data.count]], count: await state.requests(on: wire.platform))
        }
    }

    /// Pages of `max_results` (10–100) with `next_token`s that are offsets, and X's `meta` block.
    static func page(_ rows: [[String: Any]], _ request: Request, token parameter: String) -> [String: Any] {
        let size = min(100, max(5, request.uri.queryParameters.get("max_results").flatMap { Int($0) } ?? 10))
        let start = request.uri.queryParameters.get(parameter).flatMap { Int(String($0).dropFirst(2)) } ?? 0
        let slice = Array(rows.dropFirst(start).prefix(size))
        guard !slice.isEmpty else { return ["meta": ["result_count": 0]] }
        var meta: [String: Any] = ["result_count": slice.count, "newest_id": slice.first!["id"]!, "oldest_id": slice.last!["id"]!]
        if start + slice.count < rows.count { meta["next_token"] = "nt\(start + slice.count)" }
        return ["data": slice, "meta": meta]
    }

    static func numeric(_ id: String) -> Decimal { Decimal(string: id) ?? 0 }
}
