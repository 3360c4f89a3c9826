/// A strict JSON (RFC 8259) reader straight from UTF-8 bytes into `JSONValue`.
///
/// Written by hand rather than using Foundation's `JSONSerialization` or `JSONDecoder`: those build bridged
/// objects (NSDictionary, NSNumber) or go through `Codable` containers, and cost about a tenth of `classify`
/// and most of a poll's parsing time (benchmarks/RESULTS.md). This reader builds Swift values directly.
/// Invalid UTF-8 inside strings is repaired (U+FFFD), as `String(decoding:)` does; anything else that is not
/// JSON — trailing commas, single quotes, comments, bare control characters, nesting deeper than 512 — is
/// refused with nil.
enum JSONParser {
    static let maxDepth = 512

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var reader = Reader(bytes: bytes)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { reader.at = 3 }  // a UTF-8 BOM
        guard let value = reader.value(depth: 0) else { return nil }
        reader.skipSpace()
        return reader.at == bytes.count ? value : nil
    }

    /// The members of a document that is one object, in order, without building a dictionary (a repeated
    /// key is visited again, so the last one wins as in `parse`). False when the bytes are not such a document.
    static func members(_ bytes: UnsafeBufferPointer<UInt8>, _ visit: (String, JSONValue) -> Void) -> Bool {
        var reader = Reader(bytes: bytes)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { reader.at = 3 }
        reader.skipSpace()
        guard reader.at < bytes.count, bytes[reader.at] == UInt8(ascii: "{"), reader.members(depth: 0, visit) else { return false }
        reader.skipSpace()
        return reader.at == bytes.count
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        @inline(__always) mutating func skipSpace() {
            while at < bytes.count {
                let b = bytes[at]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
                at += 1
            }
        }

        mutating func value(depth: Int) -> JSONValue? {
            skipSpace()
            guard at < bytes.count, depth < JSONParser.maxDepth else { return nil }
            switch bytes[at] {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string().map(JSONValue.string)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default: return number()
            }
        }

        mutating func object(depth: Int) -> JSONValue? {
            var members: [String: JSONValue] = [:]
            guard self.members(depth: depth, { members[$0] = $1 }) else { return nil }
            return .object(members)
        }

        /// An object's members from its opening brace, each handed to `visit` as it is read.
        mutating func members(depth: Int, _ visit: (String, JSONValue) -> Void) -> Bool {
            at += 1
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                at += 1
                return true
            }
            while true {
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\""), let key = string() else { return false }
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return false }
                at += 1
                guard let member = value(depth: depth + 1) else { return false }
                visit(key, member)
                skipSpace()
                guard at < bytes.count else { return false }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "}") { at += 1; return true }
                return false
            }
        }

        mutating func array(depth: Int) -> JSONValue? {
            at += 1
            var elements: [JSONValue] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                at += 1
                return .array(elements)
            }
            while true {
                guard let element = value(depth: depth + 1) else { return nil }
                elements.append(element)
                skipSpace()
                guard at < bytes.count else { return nil }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(elements) }
                return nil
            }
        }

        mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
            let count = word.utf8CodeUnitCount
            guard at + count <= bytes.count else { return nil }
            for k in 0..<count where bytes[at + k] != word.utf8Start[k] { return nil }
            at += count
            return value
        }

        mutating func number() -> JSONValue? {
            let start = at
            if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
            let intStart = at
            guard digits() else { return nil }
            if bytes[intStart] == UInt8(ascii: "0"), at - intStart > 1 { return nil }  // no leading zeros
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                at += 1
                guard digits() else { return nil }
            }
            if at < bytes.count, bytes[at] | 0x20 == UInt8(ascii: "e") {
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard digits() else { return nil }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
            return Double(text).map(JSONValue.number)
        }

        /// One or more ASCII digits.
        mutating func digits() -> Bool {
            let start = at
            while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 { at += 1 }
            return at > start
        }

        /// A string literal starting at the opening quote.
        mutating func string() -> String? {
            at += 1
            let start = at
            // Fast path: no escapes. Eight bytes at a time while none of them is a quote, a backslash or a control
            // character (the usual bit tricks for "some byte is zero / below n").
            if let base = bytes.baseAddress {
                let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
                while at + 8 <= bytes.count {
                    let word = UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self)
                    let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
                    let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
                    if special & highs != 0 { break }
                    at += 8
                }
            }
            while at < bytes.count {
                let b = bytes[at]
                if b == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
                    at += 1
                    return text
                }
                if b == UInt8(ascii: "\\") { break }
                if b < 0x20 { return nil }
                at += 1
            }
            guard at < bytes.count else { return nil }
            var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<at]))
            while at < bytes.count {
                let b = bytes[at]
                if b == UInt8(ascii: "\"") {
                    at += 1
                    return String(decoding: utf8, as: UTF8.self)
                }
                if b < 0x20 { return nil }
                if b != UInt8(ascii: "\\") {
                    utf8.append(b)
                    at += 1
                    continue
                }
                at += 1
                guard at < bytes.count else { return nil }
                let escaped = bytes[at]
                at += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if code >= 0xD800, code < 0xDC00 {
                        // A high surrogate must be followed by an escaped low one; a lone one becomes U+FFFD.
                        if at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") {
                            let save = at
                            at += 2
                            if let low = hex4(), low >= 0xDC00, low < 0xE000 {
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                at = save
                                code = 0xFFFD
                            }
                        } else {
                            code = 0xFFFD
                        }
                    } else if code >= 0xDC00, code < 0xE000 {
                        code = 0xFFFD
                    }
                    UTF8.encode(Unicode.Scalar(code) ?? "\u{FFFD}") { utf8.append($0) }
                default:
                    return nil
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard at + 4 <= bytes.count else { return nil }
            var code: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[at]
                let digit: UInt32
                switch b {
                case 0x30...0x39: digit = UInt32(b - 0x30)
                case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
                default: return nil
                }
                code = code << 4 | digit
                at += 1
            }
            return code
        }
    }
}
