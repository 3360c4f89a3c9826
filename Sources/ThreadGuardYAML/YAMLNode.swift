import Yams

/// A YAML node that knows its key path and position, and reports type problems into a shared collector.
/// Readers call `string`, `int`, `mapping(allowing:)` … and get nil on a problem, which is recorded once;
/// after the walk, `YAMLDocument.issues` holds everything wrong with the file.
public struct YAMLNode {
    public let node: Node
    public let path: String
    public let document: YAMLDocument

    public init(node: Node, path: String, document: YAMLDocument) {
        self.node = node
        self.path = path
        self.document = document
    }

    public var line: Int { node.mark?.line ?? 1 }
    public var column: Int { node.mark?.column ?? 1 }

    public func issue(_ message: String, hint: String? = nil) {
        document.report(YAMLIssue(file: document.file, line: line, column: column, path: path, message: message, hint: hint))
    }

    public var kindName: String {
        switch node {
        case .scalar(let scalar): return scalar.string.isEmpty ? "an empty value" : "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    // MARK: Scalars

    public var string: String? {
        guard case .scalar(let scalar) = node else {
            issue("expected text, found \(kindName)")
            return nil
        }
        return scalar.string
    }

    public var int: Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            issue("expected a whole number, found \(describeValue)")
            return nil
        }
        return value
    }

    public var double: Double? {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string) else {
            issue("expected a number, found \(describeValue)")
            return nil
        }
        return value
    }

    public var bool: Bool? {
        guard case .scalar = node, let value = node.bool else {
            issue("expected true or false, found \(describeValue)")
            return nil
        }
        return value
    }

    /// One of `allowed`, with a "did you mean" hint otherwise.
    public func oneOf(_ allowed: [String]) -> String? {
        guard let value = string else { return nil }
        guard allowed.contains(value) else {
            let suggestion = Spelling.closest(to: value, among: allowed)
            issue("'\(value)' is not one of \(allowed.joined(separator: ", "))",
                  hint: suggestion.map { "did you mean '\($0)'?" })
            return nil
        }
        return value
    }

    var describeValue: String {
        if case .scalar(let scalar) = node { return "'\(scalar.string)'" }
        return kindName
    }

    // MARK: Collections

    /// The node's entries, rejecting keys outside `allowed` (with a suggestion) and reporting missing
    /// `required` keys. Returns nil when the node is not a mapping.
    public func mapping(allowing allowed: [String], required: [String] = []) -> YAMLMapping? {
        guard case .mapping(let mapping) = node else {
            issue("expected a mapping of keys to values, found \(kindName)")
            return nil
        }
        var entries: [String: YAMLNode] = [:]
        var keyNodes: [String: Node] = [:]
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if !allowed.contains(key) {
                let suggestion = Spelling.closest(to: key, among: allowed)
                document.report(YAMLIssue(
                    file: document.file, line: keyNode.mark?.line ?? line, column: keyNode.mark?.column ?? column,
                    path: childPath, message: "unknown key '\(key)'",
                    hint: suggestion.map { "did you mean '\($0)'?" } ?? "allowed keys: \(allowed.joined(separator: ", "))"))
                continue
            }
            entries[key] = YAMLNode(node: valueNode, path: childPath, document: document)
            keyNodes[key] = keyNode
        }
        for key in required where entries[key] == nil {
            issue("missing required key '\(key)'")
        }
        return YAMLMapping(entries: entries, keyNodes: keyNodes, owner: self)
    }

    /// The node's elements; nil (and an issue) when it is not a list.
    public var sequence: [YAMLNode]? {
        guard case .sequence(let sequence) = node else {
            issue("expected a list, found \(kindName)")
            return nil
        }
        return sequence.enumerated().map { YAMLNode(node: $1, path: "\(path)[\($0)]", document: document) }
    }

    /// A list of strings; a single string is accepted as a list of one.
    public var strings: [String]? {
        if case .scalar = node, let single = string { return [single] }
        guard let elements = sequence else { return nil }
        let values = elements.compactMap(\.string)
        return values.count == elements.count ? values : nil
    }
}

/// The entries of a mapping node.
public struct YAMLMapping {
    public let entries: [String: YAMLNode]
    let keyNodes: [String: Node]
    public let owner: YAMLNode

    public subscript(key: String) -> YAMLNode? { entries[key] }

    public func has(_ key: String) -> Bool { entries[key] != nil }
}
