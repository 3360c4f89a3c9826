import Foundation
import HTTPTypes
import Hummingbird
import ThreadGuardCore

/// YouTube Data API v3 endpoints (under `/youtube`): the channel's videos through search, comment threads (newest
/// first, `pageToken`) with at most one reply embedded — the real API embeds only some — replies by `parentId`,
/// `setModerationStatus`, and replies. YouTube has no private messages.
enum YouTubeRoutes {
    static let wire = SandboxWire(platform: .youtube)

    static func register(on router: Router<BasicRequestContext>, state: SandboxState) {
        let group = router.group("youtube")
        group.get("/youtube/v3/search") { request, _ in
            if let refused = await wire.gate(request, state) { return refused }
            let channel = request.uri.queryParameters.get("channelId").map { String($0) }
            guard let world = await state.world(platform: .youtube, account: channel) else { return wire.notFound(channel ?? "") }
            let rows = world.posts.map { post -> [String: Any] in
                ["kind": "youtube#searchResult", "etag": "e\(post.id)", "id": ["kind": "youtube#video", "videoId": post.id],
                 "snippet": ["publishedAt": SandboxWire.iso(post.createdAt), "channelId": world.accountID, "title": post.message,
                             "description": "", "channelTitle": world.accountName]]
            }
            return wire.json(page(rows, request, kind: "youtube#searchListResponse"), count: await state.requests(on: wire.platform))
        }

        group.get("/youtube/v3/commentThreads") { request, _ in
            if let refused = await wire.gate(request, state) { return refused }
            guard let video = request.uri.queryParameters.get("videoId").map { String($0) }, await state.post(video) != nil else {
                return wire.notFound(request.uri.queryParameters.get("videoId").map { String($0) } ?? "")
            }
            let all = await state.comments(ofPost: video)
            let threads = all.filter { $0.parentID == nil }.sorted { $0.createdAt > $1.createdAt }
            let world = await state.world(platform: .youtube, account: nil)
            let rows = threads.map { top -> [String: Any] in
                let replies = all.filter { $0.parentID == top.id }
                var row: [String: Any] = [
                    "kind": "youtube#commentThread", "etag": "t\(top.id)", "id": top.id,
                    "snippet": ["channelId": world?.accountID ?? "", "videoId": video, "topLevelComment": comment(top, video: video),
                                "canReply": true, "totalReplyCount": replies.count, "isPublic": true],
                ]
                if let first = replies.first { row["replies"] = ["comments": [comment(first, video: video)]] }
                return row
            }
            return wire.json(page(rows, request, kind: "youtube#commentThreadListResponse"), count: await state.requests(on: wire.platform))
        }

        group.get("/youtube/v3/comments") { request, _ in
            if let refused = await wire.gate(request, state) { return refused }
            guard let parent = request.uri.queryParameters.get("parentId").map { String($0) }, let top = await state.comment(parent) else {
                return wire.badRequest("parentId is required")
            }
            let rows = await state.replies(of: parent).map { comment($0, video: top.postID) }
            return wire.json(page(rows, request, kind: "youtube#commentListResponse"), count: await state.requests(on: wire.platform))
        }

        group.post("/youtube/v3/comments/setModerationStatus") { request, _ in
            if let refused = await wire.gate(request, state) { return refused }
            let ids = (request.uri.queryParameters.get("id").map { String($0) } ?? "").split(separator: ",").map { String($0) }
            let status = request.uri.queryParameters.get("moderationStatus").map { String($0) } ?? ""
            guard !ids.isEmpty, ["heldForReview", "published", "rejected"].contains(status) else {
                return wire.badRequest("id and moderationStatus (heldForReview, published, rejected) are required")
            }
            for id in ids {
                let known = status == "rejected" ? await state.removeComment(id) : await state.setHidden(id, status == "heldForReview")
                guard known else { return wire.notFound(id) }
            }
            return Response(status: .noContent)
        }

        group.post("/youtube/v3/comments") { request, _ in
            if let refused = await wire.gate(request, state) { return refused }
            let snippet = SandboxWire.jsonBody(await SandboxWire.body(request))["snippet"] as? [String: Any] ?? [:]
            guard let parent = snippet["parentId"] as? String, let text = snippet["textOriginal"] as? String, !text.isEmpty else {
                return wire.badRequest("snippet.parentId and snippet.textOriginal are required")
            }
            guard let top = await state.comment(parent), top.parentID == nil else { return wire.badRequest("replies go to a top-level comment") }
            let world = await state.world(platform: .youtube, account: nil)
            let id = await state.created(platform: .youtube, kind: "public_reply", target: parent, text: text)
            let reply = SandboxWorld.Comment(id: "\(parent).\(id)", postID: top.postID, parentID: parent, authorID: world?.accountID ?? "",
                                             authorName: world?.accountName ?? "", message: text, createdAt: Date())
            await state.addComment(reply)
            return wire.json(comment(reply, video: top.postID), count: await state.requests(on: wire.platform))
        }
    }

    static func comment(_ c: SandboxWorld.Comment, video: String) -> [String: Any] {
        var snippet: [String: Any] = [
            "videoId": video, "textDisplay": c.message, "textOriginal": c.message, "authorDisplayName": c.authorName,
            "authorChannelId": ["value": c.authorID], "canRate": true, "viewerRating": "none", "likeCount": 0,
            "publishedAt": SandboxWire.iso(c.createdAt), "updatedAt": SandboxWire.iso(c.createdAt),
        ]
        if let parent = c.parentID { snippet["parentId"] = parent }
        if c.isHidden { snippet["moderationStatus"] = "heldForReview" }
        return ["kind": "youtube#comment", "etag": "c\(c.id)", "id": c.id, "snippet": snippet]
    }

    /// `maxResults` pages with `nextPageToken`s.
    static func page(_ rows: [[String: Any]], _ request: Request, kind: String) -> [String: Any] {
        let size = min(100, max(1, request.uri.queryParameters.get("maxResults").flatMap { Int($0) } ?? 20))
        let start = request.uri.queryParameters.get("pageToken").flatMap { Int(String($0).dropFirst(2)) } ?? 0
        let slice = Array(rows.dropFirst(start).prefix(size))
        var body: [String: Any] = ["kind": kind, "etag": "sandbox", "items": slice, "pageInfo": ["totalResults": rows.count, "resultsPerPage": size]]
        if start + slice.count < rows.count { body["nextPageToken"] = "pt\(start + slice.count)" }
        return body
    }
}
