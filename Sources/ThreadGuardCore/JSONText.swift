/// Minimal JSON text writing for hot paths (Foundation's JSONSerialization casts every value dynamically).
public enum JSONText {
    /// A JSON string literal. Works on UTF-8 bytes: only `"`, `\\` and control characters (all ASCII) change, so
    /// the bytes of every other character pass through as they are.
    public static func quote(_ text: String) -> String {
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + text + "\"" }
        var out: [UInt8] = [0x22]
        out.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
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
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-case hexadecimal digits as UTF-8 bytes (the audit chain writes its hashes with them too).
    public static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON array of strings.
    public static func array(_ values: [String]) -> String {
        "[" + values.map(quote).joined(separator: ",") + "]"
    }
}
