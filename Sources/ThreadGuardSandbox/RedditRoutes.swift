import Foundation
import HTTPTypes
import Hummingbird
import ThreadGuardCore

/// Reddit endpoints (under `/reddit`): the password-grant token, the account's submissions, a submission's comment
/// tree (replies nested as Listings, `""` when none, a `more` stub past the first top-level comments), morechildren,
/// remove/approve, comment, compose and the sent box.
enum RedditRoutes {
    static let wire = SandboxWire(platform: .reddit)
    /// Top-level comments sent in full before the rest go into a `more` stub.
    static let shownTopLevel = 6

    static func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        let group = router.group("reddit")
        group.post("/api/v1/access_token") { request, _ in
            await state.countRequest(on: .reddit)
            let form = SandboxWire.form(await SandboxWire.body(request))
            guard request.headers[.authorization]?.hasPrefix("Basic ") == true, form["grant_type"] == "password",
                  !(form["username"] ?? "").isEmpty, !(form["password"] ?? "").isEmpty else {
                return wire.json(["error": "invalid_grant"], status: .unauthorized)
            }
            return wire.json(["access_token": state.token, "token_type": "bearer", "expires_in": 86_400, "scope": "*"])
        }

        group.get("/user/:name/submitted") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let name = context.parameters.get("name") ?? ""
            guard let world = await state.world(platform: .reddit, account: name) else { return wire.notFound(name) }
            let limit = min(100, max(1, request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 25))
            var posts = world.posts
            if let after = request.uri.queryParameters.get("after").map { String($0) }, let index = posts.firstIndex(where: { $0.id == after }) {
                posts = Array(posts.dropFirst(index + 1))
            }
            let slice = Array(posts.prefix(limit))
            let children = slice.map { post -> [String: Any] in
                let short = String(post.id.dropFirst(3))
                return ["kind": "t3", "data": ["id": short, "name": post.id, "title": post.message, "selftext": "", "author": world.accountName,
                                               "author_fullname": "t2_brand", "created_utc": post.createdAt.timeIntervalSince1970,
                                               "permalink": "/r/MeridianMedical/comments/\(short)/post/", "subreddit": "MeridianMedical"]]
            }
            let after: Any = slice.count < posts.count ? (slice.last?.id ?? NSNull()) : NSNull()
            return wire.json(["kind": "Listing", "data": ["after": after, "before": NSNull(), "dist": slice.count, "children": children]],
                             count: await state.requests(on: wire.platform))
        }

        group.get("/comments/:id") { request, context in
            if let refused = await wire.gate(request, state) { return refused }
            let short = context.parameters.get("id") ?? ""
            let postID = "t3_\(short)"
            guard let post = await state.post(postID) else { return wire.notFound(postID) }
            let all = await state.comments(ofPost: postID)
            let top = all.filter { $0.parentID == nil }
            var children: [[String: Any]] = top.prefix(shownTopLevel).map { thing($0, all: all, link: postID) }
            let rest = top.dropFirst(shownTopLevel)
            if !rest.isEmpty {
                children.append(["kind": "more", "data": ["count": rest.count, "name": "t1__", "id": "_", "parent_id": postID, "depth": 0,
                                                          "children": rest.map { String($0.id.dropFirst(3)) }]])
            }
            let submission: [String: Any] = ["kind": "Listing", "data": ["after": NSNull(), "before": NSNull(), "children": [
                ["kind": "t3", "data": ["id": short, "name": postID, "title": post.message, "selftext": "", "created_utc": post.createdAt.timeIntervalSince1970]],
            ]]]
            let comments: [String: Any] = ["kind": "Listing", "data": ["after": NSNull(), "before": NSNull(), "children": children]]
            return wire.json([submission, comments], count: await state.requests(on: wire.platform))
        }

        group.post("/api/morechildren") { request, _ in
            if let refused = await wire.gate(request, state) { return refused }
            let form = SandboxWire.form(await SandboxWire.body(request))
            guard let link = form["link_id"], let list = form["children"] else { return wire.badRequest("link_id and children are required") }
            let all = await state.comments(ofPost: link)
            let wanted = Set(list.split(separator: ",").map { "t1_\($0)" })
            // Flat, as Reddit sends them: nesting is rebuilt from parent_id.
            let things = all.filter { wanted.contains($0.id) }.map { flat($0, link: link) }
            return wire.json(["json": ["errors": [], "data": ["things": things]]], count: await state.requests(on: wire.platform))
        }

        for (path, kind, hidden) in [("/api/remove", "hide", true), ("/api/approve", "unhide", false)] {
            group.post(RouterPath(stringLiteral: path)) { request, _ in
                if let refused = await wire.gate(request, state) { return refused }
                let form = SandboxWire.form(await SandboxWire.body(request))
                guard let id = form["id"] else { return wire.badRequest("id is required") }
                if kind == "hide", form["spam"] == "true" {
                    guard await state.removeComment(id) else { return wire.notFound(id) }
                } else {
                    guard await state.setHidden(id, hidden) else { return wire.notFound(id) }
                }
                return wire.json([String: Any](), count: await state.requests(on: wire.platform))
            }
        }

        group.post("/api/comment") { request, _ in
            if let refused = await wire.gate(request, state) { return refused }
            let form = SandboxWire.form(await SandboxWire.body(request))
            guard let parent = form["thing_id"], let text = form["text"], !text.isEmpty else { return wire.badRequest("thing_id and text are required") }
            guard let target = await state.comment(parent) else { return wire.notFound(parent) }
            let id = await state.created(platform: .reddit, kind: "public_reply", target: parent, text: text)
            let reply = SandboxWorld.Comment(id: "t1_r\(id.split(separator: "-").last ?? "0")", postID: target.postID, parentID: parent,
                                             authorID: "t2_brand", authorName: "MeridianMedical", message: text, createdAt: Date())
            await state.addComment(reply)
            return wire.json(["json": ["errors": [], "data": ["things": [flat(reply, link: target.postID)]]]], count: await state.requests(on: wire.platform))
        }

        group.post("/api/compose") { request, _ in
            if let refused = await wire.gate(request, state) { return refused }
            let form = SandboxWire.form(await SandboxWire.body(request))
            guard let to = form["to"], let text = form["text"], !text.isEmpty, !(form["subject"] ?? "").isEmpty else {
                return wire.badRequest("to, subject and text are required")
            }
            _ = await state.noteReply(key: "dm:\(to):\(text)")
            let id = await state.created(platform: .reddit, kind: "private_reply", target: "user:\(to)", text: text)
            await state.rememberMessage(on: .reddit, to: to, text: text, id: id)
            return wire.json(["json": ["errors": []]], count: await state.requests(on: wire.platform))
        }

        group.get("/message/sent") { request, _ in
            if let refused = await wire.gate(request, state) { return refused }
            let children: [[String: Any]] = await state.allMessages(on: .reddit).map { recipient, message in
                ["kind": "t4", "data": ["name": message.id, "dest": recipient, "body": message.text, "subject": "A message from our team"]]
            }
            return wire.json(["kind": "Listing", "data": ["after": NSNull(), "before": NSNull(), "children": children]], count: await state.requests(on: wire.platform))
        }
    }

    /// A comment with its replies nested as Listings (`""` when it has none).
    static func thing(_ c: SandboxWorld.Comment, all: [SandboxWorld.Comment], link: String) -> [String: Any] {
        var data = fields(c, link: link)
        let replies = all.filter { $0.parentID == c.id }
        data["replies"] = replies.isEmpty ? "" : ["kind": "Listing", "data": ["after": NSNull(), "before": NSNull(),
                                                                               "children": replies.map { thing($0, all: all, link: link) }]] as [String: Any]
        return ["kind": "t1", "data": data]
    }

    static func flat(_ c: SandboxWorld.Comment, link: String) -> [String: Any] {
        var data = fields(c, link: link)
        data["replies"] = ""
        return ["kind": "t1", "data": data]
    }

    static func fields(_ c: SandboxWorld.Comment, link: String) -> [String: Any] {
        let short = String(c.id.dropFirst(3))
        return ["id": short, "name": c.id, "body": c.message, "author": c.authorName, "author_fullname": c.authorID,
                "created_utc": c.createdAt.timeIntervalSince1970, "parent_id": c.parentID ?? link, "link_id": link,
                "permalink": "/r/MeridianMedical/comments/\(link.dropFirst(3))/post/\(short)/", "removed": c.isHidden, "approved": !c.isHidden]
    }
}
