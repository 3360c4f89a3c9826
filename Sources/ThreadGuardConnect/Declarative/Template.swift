import Foundation
import ThreadGuardCore

/// `{placeholder}` substitution in manifest paths, queries and bodies; `{{…}}` stands for literal braces.
///
/// Placeholders: `{account}`, `{page_size}`, `{api_version}`, `{since}` (the stream's high-water mark, empty on a
/// first poll), `{ids}` (stub ids for `more`), `{text}` (a reply's text), `{vars.NAME}`, `{post.PATH}` (a path in the
/// parent stream's record), `{record.PATH}` (in the current record), and `{item.FIELD}` for actions (`id`,
/// `parent_id`, `root_id`, `author_id`, `author_name`, `top_comment`: the comment itself, or the comment a reply
/// answers).
public struct Template: Sendable {
    public static let simpleNames = ["account", "page_size", "api_version", "since", "ids", "text"]
    static let itemFields = ["id", "parent_id", "root_id", "author_id", "author_name", "top_comment"]

    public static func isKnown(_ name: String) -> Bool {
        if simpleNames.contains(name) { return true }
        if name.hasPrefix("vars.") || name.hasPrefix("post.") || name.hasPrefix("record.") { return name.count > 5 }
        if name.hasPrefix("item.") { return itemFields.contains(String(name.dropFirst(5))) }
        return false
    }

    /// Values a template can read.
    public struct Scope: Sendable {
        var values: [String: String] = [:]
        var post: JSONValue?
        var record: JSONValue?
        var item: Item?
        var vars: [String: String] = [:]

        func value(_ name: String) -> String {
            if let value = values[name] { return value }
            if name.hasPrefix("vars.") { return vars[String(name.dropFirst(5))] ?? "" }
            if name.hasPrefix("post."), let post { return Self.read(String(name.dropFirst(5)), post) }
            if name.hasPrefix("record."), let record { return Self.read(String(name.dropFirst(7)), record) }
            if name.hasPrefix("item."), let item {
                switch name.dropFirst(5) {
                case "id": return item.platformID
                case "parent_id": return item.parentID ?? ""
                case "root_id": return item.threadRootID
                case "author_id": return item.authorID
                case "author_name": return item.authorName
                case "top_comment": return item.topCommentID
                default: return ""
                }
            }
            return ""
        }

        static func read(_ path: String, _ json: JSONValue) -> String {
            guard case .success(let parsed) = JSONPath.parse(path) else { return "" }
            return parsed.first(in: json)?.text ?? ""
        }
    }

    /// Fills every placeholder; `escape` encodes each substituted value (for URL paths).
    public static func fill(_ template: String, _ scope: Scope, escape: ((String) -> String)? = nil) -> String {
        guard template.contains("{") else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            // "{{" … "}}" is a literal brace pair (Graph's `parent{{id}}` asks for `parent{id}`).
            if rest[open...].hasPrefix("{{"), let end = rest[open...].range(of: "}}") {
                out += "{" + rest[rest.index(open, offsetBy: 2)..<end.lowerBound] + "}"
                rest = rest[end.upperBound...]
                continue
            }
            let value = scope.value(String(rest[rest.index(after: open)..<close]))
            out += escape?(value) ?? value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// A JSON body with its templates filled in.
    static func fill(_ json: TemplateJSON, _ scope: Scope) -> Any {
        switch json {
        case .object(let pairs):
            var dict: [String: Any] = [:]
            for (key, value) in pairs { dict[key] = fill(value, scope) }
            return dict
        case .array(let list): return list.map { fill($0, scope) }
        case .template(let text): return fill(text, scope)
        case .literal(let value):
            switch value {
            case .bool(let b): return b
            case .number(let n): return n.rounded() == n ? Int(n) as Any : n as Any
            case .string(let s): return s
            default: return NSNull()
            }
        }
    }

    static let pathAllowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~:@")
        return set
    }()

    static func escapePathSegment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: pathAllowed) ?? value
    }
}
