import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ThreadGuardCore

/// The Graph API endpoints the Facebook connector uses, with Graph's shapes and errors.
enum FacebookRoutes {
    static func register(on router: Router<BasicRequestContext>, state: SandboxState, baseURL: @escaping @Sendable () -> String) {
        router.get("/:version/:id/feed") { request, context in
            await state.countRequest()
            if let fault = await faultResponse(state, request) { return fault }
            if let denied = await authError(request, state) { return denied }
            let id = context.parameters.get("id") ?? ""
            guard let world = await state.world(forAccount: id) else { return unknownObject(id) }
            let limit = limitParameter(request)
            let start = cursorParameter(request)
            let slice = Array(world.posts.dropFirst(start).prefix(limit))
            let data: [[String: Any]] = slice.map { post in
                ["id": post.id, "message": post.message, "created_time": graphTime(post.createdAt),
                 "from": ["id": world.accountID, "name": world.accountName],
                 "permalink_url": "https://www.facebook.com/\(post.id.replacingOccurrences(of: "_", with: "/posts/"))"]
            }
            let more = start + slice.count < world.posts.count
            return json(page(data: data, start: start, count: slice.count, more: more, request: request, base: baseURL()))
        }

        router.get("/:version/:id/comments") { request, context in
            await state.countRequest()
            if let fault = await faultResponse(state, request) { return fault }
            if let denied = await authError(request, state) { return denied }
            let id = context.parameters.get("id") ?? ""
            guard await state.post(id) != nil else { return unknownObject(id) }
            let all = await state.comments(ofPost: id)
            let limit = limitParameter(request)
            let start = cursorParameter(request)
            let slice = Array(all.dropFirst(start).prefix(limit))
            // Written by hand: this runs for every page of every load test.
            let data = slice.map { comment -> String in
                var row = "{\"created_time\":\"\(graphTime(comment.createdAt))\",\"from\":{\"id\":\(JSONText.quote(comment.authorID)),\"name\":\(JSONText.quote(comment.authorName))}"
                row += ",\"id\":\(JSONText.quote(comment.id)),\"is_hidden\":\(comment.isHidden),\"message\":\(JSONText.quote(comment.message))"
                if let parent = comment.parentID { row += ",\"parent\":{\"id\":\(JSONText.quote(parent))}" }
                row += ",\"permalink_url\":\(JSONText.quote("https://www.facebook.com/\(id.replacingOccurrences(of: "_", with: "/posts/"))/?comment_id=\(comment.id)"))}"
                return row
            }
            let more = start + slice.count < all.count
            let paging = page(data: [], start: start, count: slice.count, more: more, request: request, base: baseURL())["paging"]
            let pagingText = paging.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }.map { String(decoding: $0, as: UTF8.self) }
            let body = "{\"data\":[" + data.joined(separator: ",") + "]" + (pagingText.map { ",\"paging\":" + $0 } ?? "") + "}"
            return rawJSON(body)

        }

        router.get("/:version/:id") { request, context in
            await state.countRequest()
            if let fault = await faultResponse(state, request) { return fault }
            if let denied = await authError(request, state) { return denied }
            let id = context.parameters.get("id") ?? ""
            guard let comment = await state.comment(id) else { return unknownObject(id) }
            let replied = await state.privatelyReplied(id)
            return json(["id": comment.id, "is_hidden": comment.isHidden, "can_reply_privately": !replied])
        }

        router.post("/:version/:id/comments") { request, context in
            await state.countRequest()
            if let fault = await faultResponse(state, request) { return fault }
            if let denied = await authError(request, state) { return denied }
            let id = context.parameters.get("id") ?? ""
            let form = parseForm(String(buffer: try await request.body.collect(upTo: 1 << 20)))
            guard let target = await state.comment(id) else { return unknownObject(id) }
            guard let message = form["message"], !message.isEmpty else {
                return graphError(status: .badRequest, code: 100, type: "OAuthException", message: "(#100) The parameter message is required")
            }
            let created = await state.created(platform: .facebook, kind: "public_reply", target: id, text: message)
            await state.addComment(SandboxWorld.Comment(id: "\(target.postID)_\(created)", postID: target.postID, parentID: target.parentID ?? id,
                                                        authorID: await state.world.accountID, authorName: await state.world.accountName,
                                                        message: message, createdAt: Date()))
            return json(["id": "\(target.postID)_\(created)"])
        }

        router.post("/:version/:id/messages") { request, context in
            await state.countRequest()
            if let fault = await faultResponse(state, request) { return fault }
            if let denied = await authError(request, state) { return denied }
            let id = context.parameters.get("id") ?? ""
            guard await state.world(forAccount: id) != nil else { return unknownObject(id) }
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let payload = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                  let recipient = payload["recipient"] as? [String: Any], let commentID = recipient["comment_id"] as? String,
                  let message = payload["message"] as? [String: Any], let text = message["text"] as? String
            else {
                return graphError(status: .badRequest, code: 100, type: "OAuthException", message: "(#100) The parameter recipient is required")
            }
            guard await state.comment(commentID) != nil else {
                return graphError(status: .badRequest, code: 100, type: "OAuthException", message: "(#100) No matching user found")
            }
            if await state.privatelyReplied(commentID) {
                await state.noteDuplicateReply()
                // Graph allows one private reply per comment.
                return graphError(status: .badRequest, code: 10900, type: "OAuthException", message: "Activity already replied to")
            }
            let messageID = await state.privateReply(to: commentID, text: text)
            return json(["recipient_id": "user_of_\(commentID)", "message_id": messageID])
        }

        router.post("/:version/:id") { request, context in
            await state.countRequest()
            if let fault = await faultResponse(state, request) { return fault }
            if let denied = await authError(request, state) { return denied }
            let id = context.parameters.get("id") ?? ""
            let body = try await request.body.collect(upTo: 1 << 20)
            let form = parseForm(String(buffer: body))
            let flag = form["is_hidden"] ?? request.uri.queryParameters.get("is_hidden")
            guard let flag, flag == "true" || flag == "false" else {
                return graphError(status: .badRequest, code: 100, type: "GraphMethodException", message: "(#100) Unsupported post request: is_hidden is required")
            }
            guard await state.setHidden(id, flag == "true") else { return unknownObject(id) }
            return json(["success": true])
        }
    }

    // MARK: Shapes

    static func page(data: [[String: Any]], start: Int, count: Int, more: Bool, request: Request, base: String) -> [String: Any] {
        var body: [String: Any] = ["data": data]
        guard count > 0 else { return body }
        var paging: [String: Any] = ["cursors": ["before": encodeCursor(start), "after": encodeCursor(start + count - 1)]]
        if more {
            var components = URLComponents(string: base + request.uri.path)
            var items = (URLComponents(string: "http://x" + request.uri.description)?.queryItems ?? []).filter { $0.name != "after" }
            items.append(URLQueryItem(name: "after", value: encodeCursor(start + count - 1)))
            components?.queryItems = items
            paging["next"] = components?.string
        }
        body["paging"] = paging
        return body
    }

    static func encodeCursor(_ index: Int) -> String { Data("idx:\(index)".utf8).base64EncodedString() }

    /// The index of the first item after the `after` cursor (0 without one).
    static func cursorParameter(_ request: Request) -> Int {
        guard let after = request.uri.queryParameters.get("after"), let data = Data(base64Encoded: after),
              let text = String(data: data, encoding: .utf8), text.hasPrefix("idx:"), let index = Int(text.dropFirst(4))
        else { return 0 }
        return index + 1
    }

    static func limitParameter(_ request: Request) -> Int {
        min(100, max(1, request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 25))
    }

    static func authError(_ request: Request, _ state: SandboxState) async -> Response? {
        let bearer = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : $0 }
        let token = bearer ?? request.uri.queryParameters.get("access_token").map { String($0) }
        guard let token else {
            return graphError(status: .badRequest, code: 104, type: "OAuthException", message: "An access token is required to request this resource.")
        }
        guard token == state.token else {
            return graphError(status: .badRequest, code: 190, type: "OAuthException", message: "Error validating access token: Session has expired.")
        }
        return nil
    }

    static func unknownObject(_ id: String) -> Response {
        graphError(status: .badRequest, code: 100, type: "GraphMethodException",
                   message: "Unsupported request. Object with ID '\(id)' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                   subcode: 33)
    }

    static func graphError(status: HTTPResponse.Status, code: Int, type: String, message: String, subcode: Int? = nil) -> Response {
        var error: [String: Any] = ["message": message, "type": type, "code": code, "fbtrace_id": "AsandboxTrace01"]
        if let subcode { error["error_subcode"] = subcode }
        return json(["error": error], status: status)
    }

    static func rawJSON(_ body: String) -> Response {
        var response = Response(status: .ok, headers: [.contentType: "application/json; charset=UTF-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        response.headers[HTTPField.Name("X-App-Usage")!] = #"{"call_count":1,"total_cputime":1,"total_time":1}"#
        return response
    }

    static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var response = Response(status: status, headers: [.contentType: "application/json; charset=UTF-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        // Graph reports the app's usage on every answer.
        response.headers[HTTPField.Name("X-App-Usage")!] = #"{"call_count":1,"total_cputime":1,"total_time":1}"#
        return response
    }

    static func parseForm(_ body: String) -> [String: String] {
        var form: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            if parts.count == 2 { form[parts[0]] = parts[1] }
        }
        return form
    }

    static func graphTime(_ date: Date) -> String { Timestamp.graph(date) }
}
