import Foundation
import Logging
import ThreadGuardCore
import ThreadGuardHTTP

/// The access token in use: fixed, or fetched by an OAuth grant and fetched again when refused.
actor TokenSession {
    private(set) var token: String?
    private var refreshed = false

    init(initial: String?) { token = initial }

    func set(_ value: String) {
        token = value
    }

    /// True the first time only: a token is fetched again once per poll, then a person is needed.
    func mayRefresh() -> Bool {
        defer { refreshed = true }
        return !refreshed
    }
}

extension DeclarativeConnector {
    var root: String {
        (source.baseURL ?? manifest.baseURL).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }

    func buildURL(_ request: RequestSpec, scope: Template.Scope, extraQuery: [(String, String)]) throws -> String {
        let path = Template.fill(request.path, scope, escape: Template.escapePathSegment)
        var items: [URLQueryItem] = []
        for (name, value) in manifest.query + request.query {
            let filled = Template.fill(value, scope)
            if !filled.isEmpty { items.append(URLQueryItem(name: name, value: filled)) }
        }
        for (name, value) in extraQuery where !items.contains(where: { $0.name == name }) {
            items.append(URLQueryItem(name: name, value: value))
        }
        guard var components = URLComponents(string: root + path) else {
            throw ConnectorError.permanent(source: source.name, detail: "cannot build a URL for \(request.path)")
        }
        components.queryItems = items.isEmpty ? nil : items
        // '+' in a query value means a space to most servers: encode it.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.string else { throw ConnectorError.permanent(source: source.name, detail: "cannot build a URL for \(request.path)") }
        return url
    }

    func headers(token: String?) -> [(name: String, value: String)] {
        var list: [(name: String, value: String)] = manifest.headers.map { (name: $0.0, value: Template.fill($0.1, baseScope)) }
        if let token, manifest.auth.kind == .bearer || manifest.auth.kind == .oauthPasswordGrant {
            list.append((name: "Authorization", value: "Bearer \(token)"))
        }
        return list
    }

    func authorize(_ url: String, token: String?) -> String {
        guard manifest.auth.kind == .query, let token, var components = URLComponents(string: url) else { return url }
        var items = components.queryItems ?? []
        items.removeAll { $0.name == manifest.auth.parameter }
        items.append(URLQueryItem(name: manifest.auth.parameter, value: token))
        components.queryItems = items
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string ?? url
    }

    /// A read: safe to repeat, so passing failures are retried with backoff and `Retry-After` is obeyed.
    func read(_ request: RequestSpec, url: String, scope: Template.Scope) async throws -> (JSONValue, IncomingResponse) {
        var attempt = 1
        while true {
            do {
                return try await exchange(method: request.method, url: url, body: body(request, scope: scope))
            } catch let error as ConnectorError where error.isRetryable && attempt < retry.maxAttempts {
                var delay = retry.baseDelay * pow(2, Double(attempt - 1))
                if case .rateLimited(_, let seconds) = error {
                    let wait = Double(seconds ?? 0)
                    if wait > retry.maxDelay { throw error }
                    delay = max(delay, wait)
                }
                logger.notice("retrying a read", metadata: ["source.name": "\(source.name)", "error.kind": "\(error.kindName)", "attempt": "\(attempt)"])
                attempt += 1
                try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            }
        }
    }

    func body(_ request: RequestSpec, scope: Template.Scope) throws -> (contentType: String, data: Data)? {
        if let form = request.form {
            let encoded = form.map { "\(Self.formEncode($0.0))=\(Self.formEncode(Template.fill($0.1, scope)))" }.joined(separator: "&")
            return ("application/x-www-form-urlencoded", Data(encoded.utf8))
        }
        if let json = request.json {
            return ("application/json", try JSONSerialization.data(withJSONObject: Template.fill(json, scope), options: [.sortedKeys]))
        }
        return nil
    }

    /// One request and its classified outcome. A refused token is fetched again once (OAuth grants) before the
    /// source is marked as needing a person.
    func exchange(method: String, url: String, body: (contentType: String, data: Data)?) async throws -> (JSONValue, IncomingResponse) {
        var token = await session.token
        if token == nil, manifest.auth.kind == .oauthPasswordGrant { token = try await fetchToken() }
        let wait = await pacer.delayBeforeNextRequest()
        if wait > retry.maxDelay { throw ConnectorError.rateLimited(source: source.name, retryAfterSeconds: Int(wait.rounded(.up))) }
        if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) }
        var headers = headers(token: token)
        if let body { headers.append((name: "Content-Type", value: body.contentType)) }
        let request = OutgoingRequest(method: method, url: authorize(url, token: token), headers: headers, body: body?.data)
        let response: IncomingResponse
        do {
            response = try await http.send(request)
        } catch let error as HTTPClientError {
            throw ConnectorError.temporary(source: source.name, detail: error.description)
        }
        await observe(response)
        let parsed = response.body.isEmpty ? JSONValue.null : JSONValue.parse(response.body)
        if (200..<300).contains(response.status) {
            guard let parsed, !Self.isHTML(response) else {
                throw ConnectorError.temporary(source: source.name, detail: "unreadable response body (HTTP \(response.status), \(response.body.count) bytes)")
            }
            return (parsed, response)
        }
        let error = classify(response, json: parsed)
        if case .needsNewToken = error, manifest.auth.kind == .oauthPasswordGrant, await session.mayRefresh() {
            _ = try await fetchToken()
            return try await exchange(method: method, url: url, body: body)
        }
        throw error
    }

    func observe(_ response: IncomingResponse) async {
        await pacer.observe(response)
        // An explicit Retry-After on a refusal says when to come back, whatever the window headers say.
        if response.status == 429 || response.status == 503, let after = response.header("Retry-After").flatMap(Double.init) {
            await pacer.refused(retryAfterSeconds: after)
            return
        }
        let spec = manifest.rateLimit
        if let name = spec.remainingHeader, let remaining = response.header(name).flatMap(Double.init),
           let resetName = spec.resetHeader, let reset = response.header(resetName).flatMap({ Self.resetDate($0, spec.resetFormat, now: now()) }) {
            await pacer.remaining(remaining, resetsAt: reset, slowBelow: spec.slowBelow)
        }
    }

    static func resetDate(_ text: String, _ format: RateLimitSpec.ResetFormat, now: Date) -> Date? {
        switch format {
        case .seconds: return Double(text).map { now.addingTimeInterval($0) }
        case .epoch: return Double(text).map(Date.init(timeIntervalSince1970:))
        case .iso8601: return Timestamp.parse(text)
        }
    }

    static func isHTML(_ response: IncomingResponse) -> Bool {
        if response.header("Content-Type")?.lowercased().contains("html") == true { return true }
        return response.body.prefix(15).starts(with: Data("<!DOCTYPE".utf8)) || response.body.prefix(6).starts(with: Data("<html".utf8))
    }

    /// The manifest's error rules decide; without a matching rule: 401 re-authenticates, 429 backs off, 5xx retries.
    func classify(_ response: IncomingResponse, json: JSONValue?) -> ConnectorError {
        var outcome: ErrorRule.Outcome?
        var note: String?
        for rule in manifest.errors {
            if !rule.statuses.isEmpty, !rule.statuses.contains(response.status) { continue }
            if let path = rule.path {
                guard let json, path.values(in: json).contains(where: { $0.text.map(rule.equals.contains) ?? false }) else { continue }
            }
            if let (name, text) = rule.headerContains {
                guard response.header(name)?.contains(text) == true else { continue }
            }
            outcome = rule.outcome
            note = rule.message
            break
        }
        let html = Self.isHTML(response) ? " (an HTML error page, not the API)" : ""
        let code = Self.platformCode(json).map { ", error code \($0)" } ?? ""
        // The status, the platform's error code and the manifest's own message: never the platform's words, which may
        // echo the request (its token) or what a commenter wrote.
        let detail = "HTTP \(response.status)" + code + (note.map { ": \($0)" } ?? "") + html
        switch outcome ?? Self.defaultOutcome(response.status) {
        case .reauthenticate: return .needsNewToken(source: source.name, detail: detail)
        case .backOff:
            let window = manifest.rateLimit.resetHeader.flatMap { response.header($0) }
                .flatMap { Self.resetDate($0, manifest.rateLimit.resetFormat, now: now()) }.map { Int(max(0, $0.timeIntervalSince(now())).rounded(.up)) }
            return .rateLimited(source: source.name, retryAfterSeconds: response.header("Retry-After").flatMap(Int.init) ?? window)
        case .retry: return .temporary(source: source.name, detail: detail)
        case .giveUp: return .permanent(source: source.name, detail: detail)
        }
    }

    static func defaultOutcome(_ status: Int) -> ErrorRule.Outcome {
        switch status {
        case 401: return .reauthenticate
        case 429: return .backOff
        case 500...599: return .retry
        default: return .giveUp
        }
    }

    /// The platform's error code (Graph `error.code`, Google `error.errors[0].reason`, X `errors[0].code`).
    static func platformCode(_ json: JSONValue?) -> String? {
        guard let json else { return nil }
        for path in ["error.code", "error.errors[0].reason", "errors[0].code"] {
            // A code is a short word or number; anything else is not a code (and is not repeated).
            if case .success(let p) = JSONPath.parse(path), let text = p.first(in: json)?.text, !text.isEmpty, text.count <= 40,
               text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }) { return text }
        }
        return nil
    }

    /// Reddit-style password grant: `client_id:client_secret:username:password` in the source's variable.
    func fetchToken() async throws -> String {
        let parts = credential.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let tokenURL = manifest.auth.tokenURL else {
            throw ConnectorError.needsNewToken(source: source.name, detail: "the variable \(source.tokenEnv) must hold client_id:client_secret:username:password")
        }
        var url = tokenURL
        if let base = source.baseURL, let path = URLComponents(string: tokenURL)?.path {
            url = base.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path
        }
        let basic = Data("\(parts[0]):\(parts[1])".utf8).base64EncodedString()
        let form = "grant_type=password&username=\(Self.formEncode(parts[2]))&password=\(Self.formEncode(parts[3]))"
        var headers = manifest.headers.map { (name: $0.0, value: $0.1) }
        headers += [(name: "Authorization", value: "Basic \(basic)"), (name: "Content-Type", value: "application/x-www-form-urlencoded")]
        let response: IncomingResponse
        do {
            response = try await http.send(OutgoingRequest(method: "POST", url: url, headers: headers, body: Data(form.utf8)))
        } catch let error as HTTPClientError {
            throw ConnectorError.temporary(source: source.name, detail: error.description)
        }
        guard response.status == 200, let json = JSONValue.parse(response.body), let token = json["access_token"]?.text, !token.isEmpty else {
            if response.status >= 500 { throw ConnectorError.temporary(source: source.name, detail: "token endpoint: HTTP \(response.status)") }
            throw ConnectorError.needsNewToken(source: source.name, detail: "the token endpoint refused the credentials (HTTP \(response.status))")
        }
        await session.set(token)
        return token
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return text.addingPercentEncoding(withAllowedCharacters: allowed)?.replacingOccurrences(of: "%20", with: "+") ?? ""
    }
}
