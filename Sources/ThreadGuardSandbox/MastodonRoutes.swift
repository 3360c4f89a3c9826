import Foundation
import HTTPTypes
import Hummingbird
import ThreadGuardCore

/// Mastodon endpoints (under `/mastodon`): the account's statuses (newest first, `Link` header paging by
/// `max_id`), a status's context (its descendants), replies and direct messages as statuses, reports, deletion.
enum MastodonRoutes {
    static let wire = SandboxWire(platform: .mastodon)

    static func register(on router: Router<BasicRequestContext>, state: SandboxState, baseURL: @escaping @Sendable () -> String) {
        let group = router.group("mastodon")
        group.get("/api/v1/accounts/:id/statuses") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            guard let world = await state.world(platform: .mastodon, account: id) else { return wire.notFound(id) }
            let limit = min(40, max(1, request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 20))
            var posts = world.posts
            if let maxID = request.uri.queryParameters.get("max_id").map { String($0) } {
                posts = posts.filter { XRoutes.numeric($0.id) < XRoutes.numeric(maxID) }
            }
            let slice = Array(posts.prefix(limit))
            let account = accountShape(id: world.accountID, name: world.accountName)
            let rows = slice.map { post -> [String: Any] in
                ["id": post.id, "created_at": SandboxWire.iso(post.createdAt), "in_reply_to_id": NSNull(), "visibility": "public",
                 "content": "<p>\(escape(post.message))</p>", "url": "https://mastodon.example/@\(world.accountName)/\(post.id)", "account": account]
            }
            var response = wire.json(rows, count: await state.requests(on: wire.platform))
            if slice.count < posts.count, let last = slice.last {
                let next = baseURL() + "/mastodon/api/v1/accounts/\(id)/statuses?limit=\(limit)&max_id=\(last.id)"
                response.headers[HTTPField.Name("Link")!] = "<\(next)>; rel=\"next\", <\(baseURL())/mastodon/api/v1/accounts/\(id)/statuses?min_id=\(slice.first!.id)>; rel=\"prev\""
            }
            return response
        }

        group.get("/api/v1/statuses/:id/context") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            guard await state.post(id) != nil else { return wire.notFound(id) }
            let descendants = await state.comments(ofPost: id).map { status($0, root: id) }
            return wire.json(["ancestors": [], "descendants": descendants], count: await state.requests(on: wire.platform))
        }

        group.post("/api/v1/statuses") { request, _ in
            if let refused = await wire.gate(request, state) { return refused }
            let payload = SandboxWire.jsonBody(await SandboxWire.body(request))
            guard let text = payload["status"] as? String, !text.isEmpty else {
                return wire.json(["error": "Validation failed: Text can't be blank"], status: .unprocessableContent, count: await state.requests(on: wire.platform))
            }
            let visibility = payload["visibility"] as? String ?? "public"
            let world = await state.world(platform: .mastodon, account: nil)
            guard let parent = payload["in_reply_to_id"] as? String, let target = await state.comment(parent) else {
                return wire.badRequest("in_reply_to_id must name a status in this sandbox")
            }
            let kind = visibility == "direct" ? "private_reply" : "public_reply"
            if kind == "private_reply" { _ = await state.noteReply(key: "status:\(parent)") }
            let created = await state.created(platform: .mastodon, kind: kind, target: parent, text: text)
            let number = created.split(separator: "-").last.flatMap { Int($0) } ?? 0
            let reply = SandboxWorld.Comment(id: String(113_000_000_900_000_000 + number), postID: target.postID, parentID: parent,
                                             authorID: world?.accountID ?? "", authorName: world?.accountName ?? "", message: text, createdAt: Date())
            await state.addComment(reply)
            var shape = status(reply, root: target.postID)
            shape["visibility"] = visibility
            return wire.json(shape, count: await state.requests(on: wire.platform))
        }

        group.post("/api/v1/reports") { request, _ in
            if let refused = await wire.gate(request, state) { return refused }
            let payload = SandboxWire.jsonBody(await SandboxWire.body(request))
            guard let account = payload["account_id"] as? String, let statuses = payload["status_ids"] as? [String], let first = statuses.first else {
                return wire.json(["error": "Validation failed: account_id and status_ids are required"], status: .unprocessableContent)
            }
            guard await state.comment(first) != nil else { return wire.notFound(first) }
            let id = await state.created(platform: .mastodon, kind: "report", target: first, text: payload["comment"] as? String)
            return wire.json(["id": id, "action_taken": false, "category": payload["category"] as? String ?? "other", "comment": payload["comment"] as? String ?? "",
                              "forwarded": false, "status_ids": statuses, "target_account": accountShape(id: account, name: "")], count: await state.requests(on: wire.platform))
        }

        group.delete("/api/v1/statuses/:id") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let id = context.parameters.get("id") ?? ""
            guard let comment = await state.comment(id), await state.removeComment(id) else { return wire.notFound(id) }
            return wire.json(status(comment, root: comment.postID), count: await state.requests(on: wire.platform))
        }
    }

    static func status(_ c: SandboxWorld.Comment, root: String) -> [String: Any] {
        ["id": c.id, "created_at": SandboxWire.iso(c.createdAt), "in_reply_to_id": c.parentID ?? root, "visibility": "public",
         "content": "<p>\(escape(c.message))</p>", "url": "https://mastodon.example/@\(c.authorName)/\(c.id)",
         "account": accountShape(id: c.authorID, name: c.authorName)]
    }

    static func accountShape(id: String, name: String) -> [String: Any] {
        ["id": id, "username": name, "acct": name, "display_name": name]
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
