import Foundation
import ThreadGuardCore

/// Turns one JSON record into an item with a stream's mapping.
struct ItemReader {
    let platform: Platform
    let source: SourceConfig
    let now: Date

    /// Page-level lookup tables: name → key → record.
    typealias Tables = [String: [String: JSONValue]]

    static func tables(_ lookups: [String: Lookup], page: JSONValue) -> Tables {
        var tables: Tables = [:]
        for (name, lookup) in lookups {
            var table: [String: JSONValue] = [:]
            for record in lookup.records.values(in: page) {
                if let key = lookup.key.first(in: record)?.text { table[key] = record }
            }
            tables[name] = table
        }
        return tables
    }

    /// The item, or nil when the record has no id.
    func item(_ record: JSONValue, mapping: ItemMapping, kind: ItemKind, parentPost: Item?, parentRecordID: String?,
              tables: Tables, scope: Template.Scope) -> Item? {
        func read(_ spec: ValueSpec?) -> String? { spec.flatMap { value($0, record, tables, scope) } }
        guard let id = read(mapping.id), !id.isEmpty else { return nil }
        let created = read(mapping.created).flatMap { Self.date($0, format: mapping.createdFormat) } ?? now
        let root = read(mapping.rootID) ?? parentPost?.platformID ?? id
        var parent = read(mapping.parentID) ?? parentRecordID ?? (kind == .post ? nil : parentPost?.platformID)
        if parent == id { parent = nil }
        var itemKind = kind
        if kind != .post {
            itemKind = (parent == nil || parent == root) ? .comment : .reply
            if parent == nil, root != id { parent = root }
        }
        let authorID = read(mapping.authorID) ?? ""
        let authorName = read(mapping.authorName) ?? ""
        let hidden = read(mapping.hidden).map { ["true", "1", "yes"].contains($0.lowercased()) } ?? false
        let isBrand = (!authorID.isEmpty && authorID == source.account) || (!authorName.isEmpty && authorName.lowercased() == source.account.lowercased())
        return Item(platform: platform, platformID: id, kind: itemKind, sourceName: source.name, threadRootID: root, parentID: parent,
                    authorID: authorID, authorName: authorName, text: read(mapping.text) ?? "", createdAt: created, fetchedAt: now,
                    permalink: read(mapping.permalink), isHidden: hidden, isBrand: isBrand)
    }

    func value(_ spec: ValueSpec, _ record: JSONValue, _ tables: Tables, _ scope: Template.Scope) -> String? {
        for source in spec.alternatives {
            if let text = Self.read(source, record, tables, scope), !text.isEmpty { return text }
        }
        return nil
    }

    static func read(_ source: ValueSource, _ record: JSONValue, _ tables: Tables, _ scope: Template.Scope) -> String? {
        var text: String?
        switch source.origin {
        case .path(let path): text = path.first(in: record)?.text
        case .joined(let paths, let separator):
            let parts = paths.compactMap { $0.first(in: record)?.text }.filter { !$0.isEmpty }
            text = parts.isEmpty ? nil : parts.joined(separator: separator)
        case .template(let template):
            var local = scope
            local.record = record
            text = Template.fill(template, local)
        case .lookup(let name, let key, let path):
            guard let keyText = key.first(in: record)?.text, let found = tables[name]?[keyText] else { return nil }
            text = path.first(in: found)?.text
        case .filtered(let path, let match, let valuePath):
            text = path.values(in: record).first(where: match.holds).flatMap { valuePath.first(in: $0)?.text }
        }
        if let values = source.equals { return (text.map(values.contains) ?? false) ? "true" : "false" }
        guard var result = text else { return nil }
        if let name = source.queryParam {
            guard let query = URLComponents(string: result)?.queryItems?.first(where: { $0.name == name })?.value else { return nil }
            result = query
        }
        for prefix in source.stripPrefixes where result.hasPrefix(prefix) {
            result = String(result.dropFirst(prefix.count))
            break
        }
        if source.html { result = HTMLText.plain(result) }
        if let prefix = source.prefix, !result.isEmpty { result = prefix + result }
        return result
    }

    static func date(_ text: String, format: ItemMapping.DateFormat) -> Date? {
        switch format {
        case .epoch: return Double(text).map(Date.init(timeIntervalSince1970:))
        case .iso8601, .graph: return Timestamp.parse(text)
        }
    }
}

/// HTML to plain text for platforms that send markup (Mastodon's `content`): paragraphs and line breaks become
/// newlines, tags go, entities are decoded.
enum HTMLText {
    static func plain(_ html: String) -> String {
        guard html.contains("<") || html.contains("&") else { return html }
        var text = html.replacingOccurrences(of: "<br>", with: "\n").replacingOccurrences(of: "<br/>", with: "\n")
            .replacingOccurrences(of: "<br />", with: "\n").replacingOccurrences(of: "</p><p>", with: "\n\n")
        var out = ""
        var inTag = false
        for c in text {
            if c == "<" { inTag = true; continue }
            if c == ">", inTag { inTag = false; continue }
            if !inTag { out.append(c) }
        }
        text = out
        for (entity, value) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&nbsp;", " ")] {
            text = text.replacingOccurrences(of: entity, with: value)
        }
        while let range = text.range(of: "&#"), let end = text[range.upperBound...].firstIndex(of: ";"),
              let code = UInt32(text[range.upperBound..<end]), let scalar = Unicode.Scalar(code) {
            text.replaceSubrange(range.lowerBound...end, with: String(Character(scalar)))
        }
        return text.replacingOccurrences(of: "&amp;", with: "&").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
