import Foundation

/// HTML built by value: every piece of text is escaped when it is added, so comment texts and author names
/// (hostile input) can never become markup. Only `raw` inserts markup, and only this module's own.
public struct HTML: Sendable, CustomStringConvertible {
    public private(set) var description = ""

    public init() {}

    public init(_ build: (inout HTML) -> Void) {
        build(&self)
    }

    /// Text, escaped for element content and attribute values alike.
    public mutating func text(_ value: String) { description += Self.escape(value) }

    /// Markup this module wrote itself (never data).
    mutating func raw(_ markup: String) { description += markup }

    mutating func add(_ other: HTML) { description += other.description }

    /// An element with escaped attributes; `attributes` in order, a nil value leaves the attribute out.
    mutating func element(_ name: String, _ attributes: [(String, String?)] = [], _ content: (inout HTML) -> Void = { _ in }) {
        description += "<" + name
        for (key, value) in attributes {
            guard let value else { continue }
            description += " " + key + "=\"" + Self.escape(value) + "\""
        }
        description += ">"
        if !Self.void.contains(name) {
            content(&self)
            description += "</" + name + ">"
        }
    }

    /// A text element: `<p>text</p>`.
    mutating func element(_ name: String, _ attributes: [(String, String?)] = [], text: String) {
        element(name, attributes) { $0.text(text) }
    }

    static let void: Set<String> = ["input", "br", "meta", "link", "hr", "img"]

    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "`": out += "&#96;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// An http(s) link target, or nil (a `javascript:` or `data:` URL is never a link).
    static func safeURL(_ text: String?) -> String? {
        guard let text, let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", components.host != nil else { return nil }
        return text
    }
}
