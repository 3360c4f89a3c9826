import Foundation
import Yams

/// One YAML file being read strictly: syntax errors and every later type problem are collected with
/// their file, line and column.
public final class YAMLDocument {
    public let file: String
    public let text: String
    public private(set) var issues: [YAMLIssue] = []
    public private(set) var root: YAMLNode?

    /// Parses `text`; a syntax error becomes the first issue and `root` stays nil.
    public init(file: String, text: String) {
        self.file = file
        self.text = text
        do {
            if let node = try Yams.compose(yaml: text) {
                root = YAMLNode(node: node, path: "", document: self)
            } else {
                report(YAMLIssue(file: file, line: 1, column: 1, path: "", message: "the file is empty"))
            }
        } catch let error as YamlError {
            report(Self.issue(for: error, file: file))
        } catch {
            report(YAMLIssue(file: file, line: 1, column: 1, path: "", message: "cannot parse YAML: \(error)"))
        }
    }

    /// Reads a file from disk; an unreadable file is reported as an issue.
    public convenience init(contentsOf path: String) {
        if let data = FileManager.default.contents(atPath: path) {
            self.init(file: path, text: String(decoding: data, as: UTF8.self))
        } else {
            self.init(file: path, text: "")
            issues = [YAMLIssue(file: path, line: 1, column: 1, path: "", message: "cannot read the file")]
        }
    }

    public func report(_ issue: YAMLIssue) { issues.append(issue) }

    static func issue(for error: YamlError, file: String) -> YAMLIssue {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return YAMLIssue(file: file, line: mark.line, column: mark.column, path: "", message: "YAML syntax error: \(detail)",
                             hint: "check the indentation and quoting on this line")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return YAMLIssue(file: file, line: context.mark.line, column: context.mark.column, path: "",
                             message: "duplicate keys: \(duplicates.joined(separator: ", "))", hint: "each key may appear once")
        default:
            return YAMLIssue(file: file, line: 1, column: 1, path: "", message: "YAML error: \(error)")
        }
    }
}

/// "Did you mean …?" suggestions.
public enum Spelling {
    /// The candidate within edit distance 2 (or a third of the word) of `word`, if any.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= limit else { return nil }
        return best.0
    }

    /// Levenshtein distance.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
