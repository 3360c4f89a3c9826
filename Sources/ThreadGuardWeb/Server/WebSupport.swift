import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ThreadGuardStore

/// Security headers on every answer: a strict Content-Security-Policy (this server's own script and stylesheet,
/// nothing inline, no frames), no sniffing, no referrer, and no caching of pages that may show PHI.
enum SecurityHeaders {
    static var policy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'"
    }

    static func apply(to response: inout Response, path: String) {
        response.headers[HTTPField.Name("Content-Security-Policy")!] = Self.policy
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=()"
        if !path.hasPrefix("/static/") { response.headers[.cacheControl] = "no-store" }
    }
}

/// Small helpers for pages, forms and cookies.
enum Web {
    static let sessionCookie = "tg_session"
    static let loginCookie = "tg_login"
    static let sessionHours = 12

    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func form(_ request: Request) async -> [String: String] {
        await fields(request).first
    }

    /// A form's fields, every value of each (checkboxes send one name many times).
    static func fields(_ request: Request) async -> FormFields {
        guard let buffer = try? await request.body.collect(upTo: 256 * 1024) else { return FormFields() }
        var fields = FormFields()
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let name = parts.first else { continue }
            let value = parts.count == 2 ? parts[1] : ""
            if fields.first[name] == nil { fields.first[name] = value }
            fields.all[name, default: []].append(value)
        }
        return fields
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Equal strings, compared in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// Secure, HttpOnly, SameSite=Strict, for the whole site.
    static func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }

    static func query(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters.get(name).map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A whole number from the query, clamped into `range`; nil when absent or not a number.
    static func number(_ request: Request, _ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = query(request, name), text.count <= 30 else { return nil }
        guard let value = Int(text) else {
            // Digits too many for an Int: the nearest end of the range.
            let digits = text.drop { $0 == "-" || $0 == "+" }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
            return text.hasPrefix("-") ? range.lowerBound : range.upperBound
        }
        return min(max(value, range.lowerBound), range.upperBound)
    }

    static func errorPage(_ status: HTTPResponse.Status, _ title: String, _ message: String, viewer: Layout.Viewer?) -> Response {
        html(Layout.page(title: title, viewer: viewer) { $0.element("p", [("class", "error")], text: message) }, status: status)
    }

    static func relative(_ date: Date, now: Date = Date()) -> String {
        let minutes = Int(now.timeIntervalSince(date) / 60)
        if minutes < 60 { return "\(max(0, minutes)) min ago" }
        if minutes < 48 * 60 { return "\(minutes / 60) h ago" }
        return "\(minutes / 1440) d ago"
    }
}

/// A posted form: the first value of each field, and all of them.
struct FormFields {
    var first: [String: String] = [:]
    var all: [String: [String]] = [:]

    /// Item numbers sent under `name`, at most `limit` of them, in order, once each.
    func ids(_ name: String, limit: Int) -> [Int64] {
        var seen: Set<Int64> = []
        return (all[name] ?? []).compactMap(Int64.init).filter { $0 > 0 && seen.insert($0).inserted }.prefix(limit).map { $0 }
    }
}
