import Foundation
import ThreadGuardCore
import ThreadGuardYAML

/// Reads a connector manifest strictly: unknown keys, wrong types, bad paths and templates, streams that name
/// missing parents — all reported in one pass with file:line:column and a hint.
struct ManifestReader {
    static let topKeys = ["type", "name", "platform", "base_url", "api_version", "auth", "headers", "query", "page_size",
                          "rate_limit", "errors", "streams", "actions", "vars", "containment"]

    static func read(_ document: YAMLDocument) -> DeclarativeManifest? {
        guard let map = document.root?.mapping(allowing: topKeys, required: ["type", "name", "platform", "base_url", "streams"]) else { return nil }
        _ = map["type"]?.oneOf(["connector"])
        let platform = map["platform"]?.oneOf(Platform.allCases.map(\.rawValue)).flatMap(Platform.init(rawValue:))
        let baseURL = map["base_url"]?.string
        if let baseURL, let node = map["base_url"], URLComponents(string: baseURL)?.host == nil {
            node.issue("'\(baseURL)' is not an http(s) URL with a host", hint: "for example https://api.twitter.com")
        }
        let pageSize = map["page_size"]?.int ?? 25
        if pageSize < 1 || pageSize > 500, let node = map["page_size"] { node.issue("page_size must be between 1 and 500") }
        let auth = map["auth"].flatMap(readAuth) ?? AuthSpec(kind: .bearer, parameter: "access_token", tokenURL: nil)
        let rateLimit = map["rate_limit"].flatMap(readRateLimit) ?? .none
        let errors = map["errors"]?.sequence?.compactMap(readErrorRule) ?? []
        var streams: [StreamSpec] = []
        if let list = map["streams"]?.sequence {
            if list.isEmpty { map["streams"]?.issue("a connector needs at least one stream") }
            for node in list {
                guard let stream = readStream(node) else { continue }
                if streams.contains(where: { $0.name == stream.name }) {
                    node.issue("a stream named '\(stream.name)' is already defined", hint: "stream names are unique")
                }
                if let parent = stream.parent, !streams.contains(where: { $0.name == parent }) {
                    let names = streams.map(\.name)
                    node.issue("parent stream '\(parent)' is not defined before this one",
                               hint: Spelling.closest(to: parent, among: names).map { "did you mean '\($0)'?" } ?? "list the parent stream first")
                }
                streams.append(stream)
            }
        }
        var actions: [ActionKind: ActionSpec] = [:]
        let platformActions = ActionKind.allCases.filter(\.touchesPlatform).map(\.rawValue)
        if let actionMap = map["actions"]?.mapping(allowing: platformActions) {
            for (key, node) in actionMap.entries {
                guard let kind = ActionKind(rawValue: key), let spec = readAction(node) else { continue }
                actions[kind] = spec
            }
        }
        var vars: [String: String] = [:]
        if let varMap = map["vars"], case .mapping(let mapping) = varMap.node {
            for (key, value) in mapping { vars[key.string ?? ""] = value.string ?? "" }
        }
        let containment = map["containment"].map { readContainment($0, actions: actions) } ?? [:]
        guard let name = map["name"]?.string, let platform, let baseURL else { return nil }
        return DeclarativeManifest(
            name: name, platform: platform, baseURL: baseURL, apiVersion: map["api_version"]?.string ?? "", auth: auth,
            headers: map["headers"].map(readPairs) ?? [], query: map["query"].map(readPairs) ?? [], pageSize: pageSize,
            rateLimit: rateLimit, errors: errors, streams: streams, actions: actions, vars: vars, containment: containment)
    }

    // MARK: Parts

    static func readAuth(_ node: YAMLNode) -> AuthSpec? {
        guard let map = node.mapping(allowing: ["type", "parameter", "token_url"], required: ["type"]) else { return nil }
        guard let kind = map["type"]?.oneOf(AuthSpec.Kind.allCases.map(\.rawValue)).flatMap(AuthSpec.Kind.init(rawValue:)) else { return nil }
        if kind == .oauthPasswordGrant, !map.has("token_url") { node.issue("oauth_password_grant needs 'token_url'") }
        return AuthSpec(kind: kind, parameter: map["parameter"]?.string ?? "access_token", tokenURL: map["token_url"]?.string)
    }

    static func readRateLimit(_ node: YAMLNode) -> RateLimitSpec? {
        guard let map = node.mapping(allowing: ["remaining_header", "reset_header", "reset_format", "slow_below", "usage_headers", "usage_slow_above"]) else { return nil }
        let format = map["reset_format"]?.oneOf(RateLimitSpec.ResetFormat.allCases.map(\.rawValue)).flatMap(RateLimitSpec.ResetFormat.init(rawValue:)) ?? .seconds
        return RateLimitSpec(
            remainingHeader: map["remaining_header"]?.string, resetHeader: map["reset_header"]?.string, resetFormat: format,
            slowBelow: map["slow_below"]?.double ?? 1, usageHeaders: map["usage_headers"]?.strings ?? [],
            usageSlowAbove: map["usage_slow_above"]?.double ?? 75)
    }

    static func readErrorRule(_ node: YAMLNode) -> ErrorRule? {
        guard let map = node.mapping(allowing: ["when", "then", "message"], required: ["when", "then"]),
              let when = map["when"]?.mapping(allowing: ["status", "path", "equals", "header", "contains"]) else { return nil }
        let outcome = map["then"]?.oneOf(ErrorRule.Outcome.allCases.map(\.rawValue)).flatMap(ErrorRule.Outcome.init(rawValue:))
        let statuses = when["status"].map { node -> [Int] in
            if case .scalar = node.node, let single = node.int { return [single] }
            return node.sequence?.compactMap(\.int) ?? []
        } ?? []
        let path = when["path"].flatMap(readPath)
        if path != nil, !when.has("equals") { node.issue("'when.path' needs 'equals'") }
        var header: (String, String)?
        if let name = when["header"]?.string {
            guard let text = when["contains"]?.string else {
                node.issue("'when.header' needs 'contains'")
                return nil
            }
            header = (name, text)
        }
        if statuses.isEmpty, path == nil, header == nil { node.issue("'when' needs a status, a path or a header") }
        guard let outcome else { return nil }
        return ErrorRule(statuses: statuses, path: path, equals: when["equals"]?.strings ?? [], headerContains: header,
                         outcome: outcome, message: map["message"]?.string)
    }

    static let streamKeys = ["name", "kind", "parent", "request", "records", "filter", "unwrap", "item", "paginate", "incremental",
                             "max_pages", "lookups", "replies", "more"]

    static func readStream(_ node: YAMLNode) -> StreamSpec? {
        guard let map = node.mapping(allowing: streamKeys, required: ["name", "request", "records", "item"]) else { return nil }
        let kind = map["kind"]?.oneOf(ItemKind.allCases.map(\.rawValue)).flatMap(ItemKind.init(rawValue:)) ?? .comment
        let request = map["request"].flatMap(readRequest)
        let records = map["records"].flatMap(readPath)
        let record = readRecordSpec(map)
        let paginate = map["paginate"].flatMap(readPaginate) ?? .none
        let incremental = map["incremental"].flatMap(readIncremental) ?? .none
        if incremental.kind == .resume, paginate.kind != .cursor, let node = map["incremental"] {
            node.issue("'resume' needs cursor paging to resume from", hint: "use paginate: {type: cursor, ...}")
        }
        var lookups: [String: Lookup] = [:]
        if let lookupNode = map["lookups"], case .mapping(let entries) = lookupNode.node {
            for (key, value) in entries {
                let child = YAMLNode(node: value, path: "\(lookupNode.path).\(key.string ?? "")", document: node.document)
                guard let m = child.mapping(allowing: ["records", "key"], required: ["records", "key"]),
                      let recordsPath = m["records"].flatMap(readPath), let keyPath = m["key"].flatMap(readPath) else { continue }
                lookups[key.string ?? ""] = Lookup(records: recordsPath, key: keyPath)
            }
        } else if let lookupNode = map["lookups"] {
            lookupNode.issue("expected a mapping of lookup names to {records, key}")
        }
        let maxPages = map["max_pages"]?.int ?? 50
        if maxPages < 1, let n = map["max_pages"] { n.issue("max_pages must be at least 1") }
        let replies = map["replies"].flatMap(readReplies)
        let more = map["more"].flatMap(readMore)
        checkLookups(record.item, lookups: lookups, node: map["item"])
        guard let name = map["name"]?.string, let request, let records, let itemSpec = record.item else { return nil }
        return StreamSpec(name: name, kind: kind, parent: map["parent"]?.string, request: request, records: records,
                          record: RecordSpec(filter: record.filter, unwrap: record.unwrap, item: itemSpec),
                          paginate: paginate, incremental: incremental, maxPages: maxPages, lookups: lookups, replies: replies, more: more)
    }

    static func readRecordSpec(_ map: YAMLMapping) -> (filter: Match?, unwrap: JSONPath?, item: ItemMapping?) {
        (map["filter"].flatMap(readMatch), map["unwrap"].flatMap(readPath), map["item"].flatMap(readItem))
    }

    static func checkLookups(_ item: ItemMapping?, lookups: [String: Lookup], node: YAMLNode?) {
        guard let item, let node else { return }
        for spec in [item.id, item.text, item.created, item.authorID, item.authorName, item.parentID, item.rootID, item.permalink, item.hidden].compactMap({ $0 }) {
            for source in spec.alternatives {
                if case .lookup(let name, _, _) = source.origin, lookups[name] == nil {
                    node.issue("lookup '\(name)' is not defined in this stream's 'lookups'",
                               hint: Spelling.closest(to: name, among: Array(lookups.keys)).map { "did you mean '\($0)'?" })
                }
            }
        }
    }

    static func readReplies(_ node: YAMLNode) -> RepliesSpec? {
        guard let map = node.mapping(allowing: ["path", "filter", "unwrap", "item", "recursive", "fetch_all"], required: ["path"]),
              let path = map["path"].flatMap(readPath) else { return nil }
        let record = readRecordSpec(map)
        var fetchAll: FetchAllSpec?
        if let fetchNode = map["fetch_all"], let f = fetchNode.mapping(allowing: ["when_more_than", "request", "records", "paginate"], required: ["when_more_than", "request", "records"]) {
            if let count = f["when_more_than"].flatMap(readPath), let request = f["request"].flatMap(readRequest), let records = f["records"].flatMap(readPath) {
                fetchAll = FetchAllSpec(whenMoreThan: count, request: request, records: records, paginate: f["paginate"].flatMap(readPaginate) ?? .none)
            }
        }
        return RepliesSpec(path: path, record: RecordSpec(filter: record.filter, unwrap: record.unwrap, item: record.item ?? placeholderItem),
                           recursive: map["recursive"]?.bool ?? false, fetchAll: fetchAll).withItemFallback(record.item == nil)
    }

    /// Replies read with the stream's own mapping when they declare none (filled in by the connector).
    static let placeholderItem = ItemMapping(id: ValueSpec(alternatives: []), text: nil, created: nil, createdFormat: .iso8601, authorID: nil,
                                             authorName: nil, parentID: nil, rootID: nil, permalink: nil, hidden: nil)

    static func readMore(_ node: YAMLNode) -> MoreSpec? {
        guard let map = node.mapping(allowing: ["when", "ids", "request", "records", "batch"], required: ["when", "ids", "request", "records"]),
              let when = map["when"].flatMap(readMatch), let ids = map["ids"].flatMap(readPath),
              let request = map["request"].flatMap(readRequest), let records = map["records"].flatMap(readPath) else { return nil }
        return MoreSpec(when: when, ids: ids, request: request, records: records, batch: map["batch"]?.int ?? 100)
    }

    static func readPaginate(_ node: YAMLNode) -> PaginateSpec? {
        guard let map = node.mapping(allowing: ["type", "cursor", "param", "next", "has_more"], required: ["type"]),
              let kind = map["type"]?.oneOf(PaginateSpec.Kind.allCases.map(\.rawValue)).flatMap(PaginateSpec.Kind.init(rawValue:)) else { return nil }
        let spec = PaginateSpec(kind: kind, cursor: map["cursor"].flatMap(readPath), param: map["param"]?.string,
                                next: map["next"].flatMap(readPath), hasMore: map["has_more"].flatMap(readPath))
        switch kind {
        case .cursor where spec.cursor == nil || spec.param == nil: node.issue("cursor paging needs 'cursor' (a path) and 'param' (the query parameter)")
        case .nextURL where spec.next == nil: node.issue("next_url paging needs 'next' (the path of the next page's URL)")
        default: break
        }
        return spec
    }

    static func readIncremental(_ node: YAMLNode) -> IncrementalSpec? {
        guard let map = node.mapping(allowing: ["type", "field", "compare", "param"], required: ["type"]),
              let kind = map["type"]?.oneOf(IncrementalSpec.Kind.allCases.map(\.rawValue)).flatMap(IncrementalSpec.Kind.init(rawValue:)) else { return nil }
        let field = map["field"]?.oneOf(["id", "created"]) ?? "id"
        let compare = map["compare"]?.oneOf(IncrementalSpec.Compare.allCases.map(\.rawValue)).flatMap(IncrementalSpec.Compare.init(rawValue:))
            ?? (field == "created" ? .time : .numeric)
        return IncrementalSpec(kind: kind, field: field, compare: compare, param: map["param"]?.string)
    }

    static func readAction(_ node: YAMLNode) -> ActionSpec? {
        guard let map = node.mapping(allowing: ["method", "path", "query", "form", "json", "success", "result_id", "window_days", "check"], required: ["path"]),
              let request = readRequest(map: map, node: node) else { return nil }
        var check: CheckSpec?
        if let checkNode = map["check"], let c = checkNode.mapping(allowing: ["method", "path", "query", "each", "match"], required: ["path", "match"]),
           let checkRequest = readRequest(map: c, node: checkNode) {
            var conditions: [(JSONPath, String)] = []
            if let matchNode = c["match"], case .mapping(let entries) = matchNode.node {
                for (key, value) in entries {
                    let child = YAMLNode(node: value, path: "\(matchNode.path).\(key.string ?? "")", document: node.document)
                    if let path = readPath(YAMLNode(node: key, path: child.path, document: node.document)), let equals = child.string {
                        conditions.append((path, equals))
                    }
                }
            } else {
                c["match"]?.issue("expected a mapping of paths to the values they must have")
            }
            check = CheckSpec(request: checkRequest, each: c["each"].flatMap(readPath) ?? JSONPath(steps: [], description: "$"), conditions: conditions)
        }
        return ActionSpec(request: request, success: map["success"].flatMap(readMatch), resultID: map["result_id"].flatMap(readPath),
                          windowDays: map["window_days"]?.int, check: check)
    }

    // MARK: Requests, items, values

    static func readRequest(_ node: YAMLNode) -> RequestSpec? {
        guard let map = node.mapping(allowing: ["method", "path", "query", "form", "json"], required: ["path"]) else { return nil }
        return readRequest(map: map, node: node)
    }

    static func readRequest(map: YAMLMapping, node: YAMLNode) -> RequestSpec? {
        let method = map["method"]?.oneOf(["GET", "POST", "PUT", "DELETE"]) ?? "GET"
        guard let path = map["path"]?.string else { return nil }
        if !path.hasPrefix("/") { map["path"]?.issue("a request path starts with '/'", hint: "for example /2/users/{account}/tweets") }
        checkTemplate(path, node: map["path"]!)
        if map.has("form"), map.has("json") { node.issue("a request has either 'form' or 'json', not both") }
        return RequestSpec(method: method, path: path, query: map["query"].map(readPairs) ?? [], form: map["form"].map(readPairs),
                           json: map["json"].map(readTemplateJSON))
    }

    static func readPairs(_ node: YAMLNode) -> [(String, String)] {
        guard case .mapping(let mapping) = node.node else {
            node.issue("expected a mapping of names to values")
            return []
        }
        return mapping.map { key, value in
            let child = YAMLNode(node: value, path: "\(node.path).\(key.string ?? "")", document: node.document)
            let text = child.string ?? ""
            checkTemplate(text, node: child)
            return (key.string ?? "", text)
        }
    }

    static func readTemplateJSON(_ node: YAMLNode) -> TemplateJSON {
        switch node.node {
        case .mapping(let mapping):
            return .object(mapping.map { key, value in
                (key.string ?? "", readTemplateJSON(YAMLNode(node: value, path: "\(node.path).\(key.string ?? "")", document: node.document)))
            })
        case .sequence:
            return .array((node.sequence ?? []).map(readTemplateJSON))
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let b = node.node.bool, ["true", "false"].contains(scalar.string) { return .literal(.bool(b)) }
                if let d = Double(scalar.string) { return .literal(.number(d)) }
            }
            checkTemplate(scalar.string, node: node)
            return .template(scalar.string)
        case .alias:
            node.issue("aliases are not supported here")
            return .literal(.null)
        }
    }

    static let itemKeys = ["id", "text", "created", "created_format", "author_id", "author_name", "parent_id", "root_id", "permalink", "hidden"]

    static func readItem(_ node: YAMLNode) -> ItemMapping? {
        guard let map = node.mapping(allowing: itemKeys, required: ["id"]) else { return nil }
        let format = map["created_format"]?.oneOf(ItemMapping.DateFormat.allCases.map(\.rawValue)).flatMap(ItemMapping.DateFormat.init(rawValue:)) ?? .iso8601
        guard let id = map["id"].flatMap(readValue) else { return nil }
        return ItemMapping(id: id, text: map["text"].flatMap(readValue), created: map["created"].flatMap(readValue), createdFormat: format,
                           authorID: map["author_id"].flatMap(readValue), authorName: map["author_name"].flatMap(readValue),
                           parentID: map["parent_id"].flatMap(readValue), rootID: map["root_id"].flatMap(readValue),
                           permalink: map["permalink"].flatMap(readValue), hidden: map["hidden"].flatMap(readValue))
    }

    /// A value: a path; a list of alternatives; or a mapping {path | paths + join | template | lookup | where, with transforms}.
    static func readValue(_ node: YAMLNode) -> ValueSpec? {
        switch node.node {
        case .scalar:
            return readSource(node).map { ValueSpec(alternatives: [$0]) }
        case .sequence:
            let alternatives = (node.sequence ?? []).compactMap(readSource)
            return alternatives.isEmpty ? nil : ValueSpec(alternatives: alternatives)
        case .mapping:
            return readSource(node).map { ValueSpec(alternatives: [$0]) }
        case .alias:
            node.issue("aliases are not supported here")
            return nil
        }
    }

    static let valueKeys = ["path", "paths", "join", "template", "lookup", "key", "where", "value", "prefix", "strip_prefix", "query_param", "html", "equals"]

    static func readSource(_ node: YAMLNode) -> ValueSource? {
        if case .scalar = node.node {
            return readPath(node).map { ValueSource(origin: .path($0), prefix: nil, stripPrefixes: [], queryParam: nil, html: false) }
        }
        guard let map = node.mapping(allowing: valueKeys) else { return nil }
        let origin: ValueSource.Origin
        if let lookup = map["lookup"]?.string {
            guard let key = map["key"].flatMap(readPath), let path = map["path"].flatMap(readPath) else {
                node.issue("a lookup needs 'key' (the path of the key in this record) and 'path' (in the record found)")
                return nil
            }
            origin = .lookup(name: lookup, key: key, path: path)
        } else if let whereNode = map["where"] {
            guard let path = map["path"].flatMap(readPath), let match = readMatch(whereNode), let value = map["value"].flatMap(readPath) else {
                node.issue("'where' needs 'path' (the list), 'where' {path, equals} and 'value'")
                return nil
            }
            origin = .filtered(path: path, where: match, value: value)
        } else if let paths = map["paths"]?.sequence {
            origin = .joined(paths.compactMap(readPath), separator: map["join"]?.string ?? " ")
        } else if let template = map["template"]?.string {
            checkTemplate(template, node: map["template"]!)
            origin = .template(template)
        } else if let path = map["path"].flatMap(readPath) {
            origin = .path(path)
        } else {
            node.issue("a value needs 'path', 'paths', 'template', 'lookup' or 'where'")
            return nil
        }
        return ValueSource(origin: origin, prefix: map["prefix"]?.string, stripPrefixes: map["strip_prefix"]?.strings ?? [],
                           queryParam: map["query_param"]?.string, html: map["html"]?.bool ?? false, equals: map["equals"]?.strings)
    }

    static func readMatch(_ node: YAMLNode) -> Match? {
        guard let map = node.mapping(allowing: ["path", "equals"], required: ["path", "equals"]),
              let path = map["path"].flatMap(readPath), let equals = map["equals"]?.strings else { return nil }
        return Match(path: path, equals: equals)
    }

    static func readPath(_ node: YAMLNode) -> JSONPath? {
        guard let text = node.string else { return nil }
        switch JSONPath.parse(text) {
        case .success(let path): return path
        case .failure(let error):
            node.issue("'\(text)' is not a valid path: \(error.reason)", hint: "paths look like data.children[*].data or items[0].id")
            return nil
        }
    }

    /// Placeholders must be closed and known.
    static func checkTemplate(_ text: String, node: YAMLNode) {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            if rest[open...].hasPrefix("{{"), let end = rest[open...].range(of: "}}") {
                rest = rest[end.upperBound...]
                continue
            }
            guard let close = rest[open...].firstIndex(of: "}") else {
                node.issue("'{' without a closing '}' in '\(text)'")
                return
            }
            let name = String(rest[rest.index(after: open)..<close])
            if !Template.isKnown(name) {
                node.issue("unknown placeholder {\(name)}", hint: Spelling.closest(to: name, among: Template.simpleNames).map { "did you mean {\($0)}?" }
                           ?? "placeholders: \(Template.simpleNames.joined(separator: ", ")), post.PATH, record.PATH, item.FIELD, vars.NAME")
            }
            rest = rest[rest.index(after: close)...]
        }
    }

    /// `containment: {hide: {does: …, still_visible_to: …, reversible: true}, …}`, for actions the manifest has.
    static func readContainment(_ node: YAMLNode, actions: [ActionKind: ActionSpec]) -> [ActionKind: Containment] {
        guard let map = node.mapping(allowing: ["hide", "unhide", "delete"]) else { return [:] }
        var containment: [ActionKind: Containment] = [:]
        for (key, entry) in map.entries {
            guard let kind = ActionKind(rawValue: key),
                  let fields = entry.mapping(allowing: ["does", "still_visible_to", "reversible"], required: ["does", "still_visible_to", "reversible"]),
                  let does = fields["does"]?.string, let visible = fields["still_visible_to"]?.string, let reversible = fields["reversible"] else { continue }
            guard actions[kind] != nil else {
                entry.issue("'\(key)' is described but the manifest has no '\(key)' action", hint: "add the action under 'actions', or remove this entry")
                continue
            }
            guard let flag = ["true": true, "false": false][reversible.string ?? ""] else {
                reversible.issue("'\(reversible.string ?? reversible.kindName)' is not true or false")
                continue
            }
            containment[kind] = Containment(does: does, stillVisibleTo: visible, reversible: flag)
        }
        return containment
    }
}

extension RepliesSpec {
    /// Marks replies that reuse the stream's item mapping.
    func withItemFallback(_ useStream: Bool) -> RepliesSpec {
        var copy = self
        copy.usesStreamItem = useStream
        return copy
    }
}
