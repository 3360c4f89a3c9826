import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ThreadGuardCore

/// Each platform's conventions on the wire: how it says "bad token", "slow down" and "server error", and the
/// rate-limit headers it sends with every answer.
struct SandboxWire: Sendable {
    let platform: Platform

    /// Every request: counted, delayed when the slow switch is on, then a queued fault or an auth refusal if any.
    func gate(_ request: Request, _ state: SandboxState) async -> Response? {
        await state.countRequest(on: platform)
        if let fault = await state.nextFault() { return faultResponse(fault, count: await state.requests(on: platform), request: request) }
        guard let token = Self.token(request), token == state.token else { return unauthorized() }
        return nil
    }

    static func token(_ request: Request) -> String? {
        if let header = request.headers[.authorization] {
            return header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : header
        }
        return request.uri.queryParameters.get("access_token").map { String($0) }
    }

    func json(_ object: Any, status: HTTPResponse.Status = .ok, count: Int = 0) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])) ?? Data("{}".utf8)
        var response = Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        for (name, value) in rateHeaders(count: count) { response.headers[HTTPField.Name(name)!] = value }
        return response
    }

    /// The rate-limit headers this platform sends, for a budget that `count` requests have used. The budget never
    /// runs low by itself (a long demo would otherwise wait for a window); the rate-limit fault switch exhausts it.
    func rateHeaders(count: Int, exhausted: Bool = false) -> [(String, String)] {
        let now = Date()
        switch platform {
        case .facebook, .instagram:
            return [("X-App-Usage", exhausted ? #"{"call_count":100,"total_cputime":40,"total_time":60}"# : #"{"call_count":1,"total_cputime":1,"total_time":1}"#)]
        case .x:
            let reset = Int(now.timeIntervalSince1970) + 900
            return [("x-rate-limit-limit", "900"), ("x-rate-limit-remaining", exhausted ? "0" : String(max(10, 900 - count % 900))),
                    ("x-rate-limit-reset", String(reset))]
        case .reddit:
            return [("x-ratelimit-remaining", exhausted ? "0.0" : String(format: "%.1f", Double(max(10, 600 - count % 600)))),
                    ("x-ratelimit-reset", "525"), ("x-ratelimit-used", String(count % 600))]
        case .mastodon:
            return [("X-RateLimit-Limit", "300"), ("X-RateLimit-Remaining", exhausted ? "0" : String(max(10, 300 - count % 300))),
                    ("X-RateLimit-Reset", Timestamp.graph(now.addingTimeInterval(300)).replacingOccurrences(of: "+0000", with: "Z"))]
        case .youtube:
            return []
        }
    }

    func unauthorized() -> Response {
        switch platform {
        case .facebook, .instagram:
            return error(.badRequest, ["error": ["message": "Error validating access token: Session has expired.", "type": "OAuthException", "code": 190, "fbtrace_id": "AsandboxTrace01"]])
        case .x:
            return error(.unauthorized, ["title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"])
        case .youtube:
            return error(.unauthorized, ["error": ["code": 401, "message": "Request had invalid authentication credentials.",
                                                   "errors": [["message": "Invalid Credentials", "domain": "global", "reason": "authError"]], "status": "UNAUTHENTICATED"]])
        case .reddit:
            var response = error(.unauthorized, ["message": "Unauthorized", "error": 401])
            response.headers[.wwwAuthenticate] = #"Bearer realm="reddit", error="invalid_token""#
            return response
        case .mastodon:
            var response = error(.unauthorized, ["error": "The access token is invalid"])
            response.headers[.wwwAuthenticate] = #"Bearer realm="Doorkeeper", error="invalid_token""#
            return response
        }
    }

    func notFound(_ id: String) -> Response {
        switch platform {
        case .facebook, .instagram:
            return error(.badRequest, ["error": ["message": "Unsupported request. Object with ID '\(id)' does not exist.", "type": "GraphMethodException", "code": 100, "error_subcode": 33]])
        case .x: return error(.notFound, ["title": "Not Found Error", "type": "https://api.twitter.com/2/problems/resource-not-found", "detail": "Could not find tweet with id: [\(id)].", "status": 404])
        case .youtube: return error(.notFound, ["error": ["code": 404, "message": "The requested resource was not found.", "errors": [["reason": "commentNotFound", "domain": "youtube.comment"]]]])
        case .reddit: return error(.notFound, ["message": "Not Found", "error": 404])
        case .mastodon: return error(.notFound, ["error": "Record not found"])
        }
    }

    func badRequest(_ message: String) -> Response {
        switch platform {
        case .facebook, .instagram: return error(.badRequest, ["error": ["message": message, "type": "OAuthException", "code": 100]])
        case .x: return error(.badRequest, ["title": "Invalid Request", "detail": message, "type": "https://api.twitter.com/2/problems/invalid-request", "status": 400])
        case .youtube: return error(.badRequest, ["error": ["code": 400, "message": message, "errors": [["reason": "invalidParameter", "domain": "youtube.parameter"]]]])
        case .reddit: return error(.badRequest, ["json": ["errors": [["BAD_REQUEST", message, "id"]]]])
        case .mastodon: return error(.unprocessableContent, ["error": "Validation failed: \(message)"])
        }
    }

    func faultResponse(_ fault: SandboxFault, count: Int, request: Request? = nil) -> Response {
        switch fault {
        case .echoingRequest(let extra):
            let address = "https://api.example" + (request.map { "\($0.uri)" } ?? "")
            var withToken = address
            if let token = request.flatMap(Self.token), !address.contains(token) { withToken += (address.contains("?") ? "&" : "?") + "access_token=" + token }
            let message = "(#100) Invalid parameter: \(withToken) (\(extra))"
            switch platform {
            case .facebook, .instagram:
                return error(.badRequest, ["error": ["message": message, "type": "OAuthException", "code": 100, "fbtrace_id": "A1b2C3"]])
            case .youtube:
                return error(.badRequest, ["error": ["code": 400, "message": message, "errors": [["reason": "invalid", "message": message]]]])
            case .x: return error(.badRequest, ["title": "Invalid Request", "detail": message, "type": "about:blank", "status": 400])
            case .reddit: return error(.badRequest, ["message": message, "error": 400])
            case .mastodon: return error(.unprocessableContent, ["error": message])
            }
        case .rateLimit(let retryAfter):
            var response: Response
            switch platform {
            case .facebook, .instagram:
                response = error(.tooManyRequests, ["error": ["message": "(#4) Application request limit reached", "type": "OAuthException", "code": 4]])
            case .x: response = error(.tooManyRequests, ["title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429])
            case .youtube:
                response = error(.forbidden, ["error": ["code": 403, "message": "The request cannot be completed because you have exceeded your quota.",
                                                        "errors": [["message": "quota", "domain": "youtube.quota", "reason": "quotaExceeded"]]]])
            case .reddit: response = error(.tooManyRequests, ["message": "Too Many Requests", "error": 429])
            case .mastodon: response = error(.tooManyRequests, ["error": "Too many requests"])
            }
            for (name, value) in rateHeaders(count: count, exhausted: true) { response.headers[HTTPField.Name(name)!] = value }
            if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        case .serverError:
            switch platform {
            case .facebook, .instagram: return error(.internalServerError, ["error": ["message": "An unknown error occurred", "type": "OAuthException", "code": 1]])
            case .x: return error(.serviceUnavailable, ["title": "Service Unavailable", "detail": "Service Unavailable", "type": "about:blank", "status": 503])
            case .youtube: return error(.internalServerError, ["error": ["code": 500, "message": "Backend Error", "errors": [["reason": "backendError", "domain": "global"]]]])
            case .reddit: return error(.internalServerError, ["message": "Internal Server Error", "error": 500])
            case .mastodon: return error(.internalServerError, ["error": "We're sorry, but something went wrong on our end."])
            }
        case .truncatedJSON:
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"data": [{"id": "1", "text": "cut of"#)))
        case .htmlError:
            return Response(status: .badGateway, headers: [.contentType: "text/html"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "<html><body><h1>502 Bad Gateway</h1></body></html>")))
        case .expiredToken:
            return unauthorized()
        }
    }

    func error(_ status: HTTPResponse.Status, _ body: [String: Any]) -> Response {
        json(body, status: status)
    }

    static func body(_ request: Request) async -> Data {
        guard let buffer = try? await request.body.collect(upTo: 1 << 20) else { return Data() }
        return Data(buffer: buffer)
    }

    static func form(_ data: Data) -> [String: String] {
        FacebookRoutes.parseForm(String(decoding: data, as: UTF8.self))
    }

    static func jsonBody(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    static func iso(_ date: Date) -> String {
        Timestamp.graph(date).replacingOccurrences(of: "+0000", with: "Z")
    }
}
