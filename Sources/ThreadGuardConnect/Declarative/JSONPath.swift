import ThreadGuardCore

/// A path into a JSON document: `data.children[*].data`, `[1].data.children[*]`, `error.errors[0].reason`.
/// `[*]` fans out over a list's elements; a missing key yields nothing.
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
        case all
    }

    let steps: [Step]
    public let description: String

    /// Parses a path; nil (with the reason) when it is malformed.
    public static func parse(_ text: String) -> Result<JSONPath, PathError> {
        var steps: [Step] = []
        var i = text.startIndex
        var name = ""
        func flush() {
            if !name.isEmpty { steps.append(.key(name)) }
            name = ""
        }
        while i < text.endIndex {
            let c = text[i]
            if c == "." {
                flush()
            } else if c == "[" {
                flush()
                guard let close = text[i...].firstIndex(of: "]") else { return .failure(PathError(reason: "'[' without a closing ']'")) }
                let inside = text[text.index(after: i)..<close]
                if inside == "*" {
                    steps.append(.all)
                } else if let index = Int(inside), index >= 0 {
                    steps.append(.index(index))
                } else {
                    return .failure(PathError(reason: "'[\(inside)]' is neither [*] nor a list index"))
                }
                i = close
            } else if c == "$", steps.isEmpty, name.isEmpty {
                // "$" alone names the whole document.
            } else {
                name.append(c)
            }
            i = text.index(after: i)
        }
        flush()
        return .success(JSONPath(steps: steps, description: text))
    }

    public struct PathError: Error, Sendable, Equatable {
        public let reason: String
    }

    /// Every value the path reaches.
    public func values(in root: JSONValue) -> [JSONValue] {
        var current = [root]
        for step in steps {
            var next: [JSONValue] = []
            for value in current {
                switch step {
                case .key(let key): if let child = value[key] { next.append(child) }
                case .index(let index): if let list = value.array, index < list.count { next.append(list[index]) }
                case .all: if let list = value.array { next.append(contentsOf: list) }
                }
            }
            current = next
            if current.isEmpty { break }
        }
        return current
    }

    /// The first value the path reaches that is not null.
    public func first(in root: JSONValue) -> JSONValue? {
        values(in: root).first { $0 != .null }
    }
}
