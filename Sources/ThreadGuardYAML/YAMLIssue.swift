/// One problem in a YAML file, with where it is and how to fix it.
public struct YAMLIssue: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// Key path such as `sources[0].token_env`; empty for the whole document.
    public var path: String
    public var message: String
    public var hint: String?

    public init(file: String, line: Int, column: Int, path: String, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// `file:line:column: path: message (hint)`, the form every ThreadGuard validator prints.
    public var description: String {
        var text = "\(file):\(line):\(column): "
        if !path.isEmpty { text += "\(path): " }
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// Every problem found in one pass over one or more files.
public struct YAMLIssues: Error, Sendable, CustomStringConvertible {
    public var issues: [YAMLIssue]

    public init(_ issues: [YAMLIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
