import Foundation

/// A parsed JSON document, walked by manifest paths.
public indirect enum JSONValue: Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// Parses a response body; nil when it is not JSON.
    public static func parse(_ data: Data) -> JSONValue? {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        return JSONValue(any: object)
    }

    init(any: Any) {
        switch any {
        case let dict as [String: Any]: self = .object(dict.mapValues(JSONValue.init(any:)))
        case let list as [Any]: self = .array(list.map(JSONValue.init(any:)))
        case let text as String: self = .string(text)
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumber too, of the C type "c".
            if number.objCType.pointee == 0x63 { self = .bool(number.boolValue) } else { self = .number(number.doubleValue) }
        default: self = .null
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let dict) = self { return dict[key] }
        return nil
    }

    /// Text of a scalar: strings as they are, whole numbers without a decimal point, booleans as true/false.
    public var text: String? {
        switch self {
        case .string(let value): return value
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null, .object, .array: return nil
        }
    }

    public var number: Double? {
        switch self {
        case .number(let value): return value
        case .string(let value): return Double(value)
        default: return nil
        }
    }

    public var bool: Bool? {
        switch self {
        case .bool(let value): return value
        case .string(let value): return value == "true" ? true : (value == "false" ? false : nil)
        case .number(let value): return value != 0
        default: return nil
        }
    }

    public var array: [JSONValue]? {
        if case .array(let list) = self { return list }
        return nil
    }
}

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
