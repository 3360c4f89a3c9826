/// Minimal JSON text writing for hot paths (Foundation's JSONSerialization casts every value dynamically).
public enum JSONText {
    /// A JSON string literal. Works on UTF-8 bytes: only `"`, `\\` and control characters (all ASCII) change, so
    /// the bytes of every other character pass through as they are.
    public static func quote(_ text: String) -> String {
        if !needsEscape(text) { return "\"" + text + "\"" }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        quote(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The same literal appended to `out` (for writers that build a whole line of bytes).
    public static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(0x22)
        // Most values need no escape: their bytes are copied whole.
        if !needsEscape(text) {
            out.append(contentsOf: text.utf8)
            out.append(0x22)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20:
                out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]]
            default:
                out.append(byte)
            }
        }
        out.append(0x22)
    }

    private static func needsEscape(_ text: String) -> Bool {
        let escaped: (UInt8) -> Bool = { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
        // Over the contiguous bytes when the string has them (native strings do): no iterator per byte.
        if let found = text.utf8.withContiguousStorageIfAvailable({ $0.contains(where: escaped) }) { return found }
        return text.utf8.contains(where: escaped)
    }

    /// Lower-case hexadecimal digits as UTF-8 bytes (the audit chain writes its hashes with them too).
    public static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON array of strings.
    public static func array(_ values: [String]) -> String {
        "[" + values.map(quote).joined(separator: ",") + "]"
    }
}
