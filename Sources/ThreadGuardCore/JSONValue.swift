import Foundation

/// A parsed JSON document, walked by manifest paths.
public indirect enum JSONValue: Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// Parses a JSON document (a response body, a line of input); nil when it is not JSON.
    public static func parse(_ data: Data) -> JSONValue? {
        data.withUnsafeBytes { JSONParser.parse($0.bindMemory(to: UInt8.self)) }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        JSONParser.parse(bytes)
    }

    /// Reads a document that must be one object member by member, without building its dictionary: for one
    /// small object per line, read millions of times. False when the bytes are not one JSON object.
    public static func visitMembers(_ bytes: UnsafeBufferPointer<UInt8>, _ visit: (String, JSONValue) -> Void) -> Bool {
        JSONParser.members(bytes, visit)
    }

    public static func parse<Bytes: Collection>(_ bytes: Bytes) -> JSONValue? where Bytes.Element == UInt8 {
        if let value = bytes.withContiguousStorageIfAvailable({ JSONParser.parse($0) }) { return value }
        return Array(bytes).withUnsafeBufferPointer { JSONParser.parse($0) }
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
