import Foundation

/// Names people sign in with: NFKC-normalised and lower-cased, 1–64 characters of letters and digits from one
/// script plus `.`, `_` and `-`. Mixed scripts ("аdmin" with a Cyrillic а) are refused, and so is a name that looks
/// like an existing one once look-alike letters are folded (its skeleton).
public enum UserNames {
    /// The stored form of a name: NFKC, lower-cased, trimmed.
    public static func normalised(_ name: String) -> String {
        name.precomposedStringWithCompatibilityMapping.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What is wrong with a name (already normalised or not), or nil.
    public static func problem(_ name: String) -> String? {
        let name = normalised(name)
        guard !name.isEmpty, name.count <= 64 else { return "a name has 1 to 64 characters" }
        var scripts: Set<Script> = []
        for scalar in name.unicodeScalars {
            if "._-".unicodeScalars.contains(scalar) || ("0"..."9").contains(scalar) { continue }
            guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else {
                return "a name holds only letters, digits, '.', '_' and '-'"
            }
            scripts.insert(Script.of(scalar))
        }
        if scripts.count > 1 {
            return "a name uses letters of one script only (this one mixes \(scripts.map(\.rawValue).sorted().joined(separator: " and ")))"
        }
        return nil
    }

    public static func isValid(_ name: String) -> Bool { problem(name) == nil }

    /// The name with Cyrillic and Greek look-alikes folded to Latin: two names with the same skeleton look the same.
    public static func skeleton(_ name: String) -> String {
        String(String.UnicodeScalarView(normalised(name).unicodeScalars.map { lookAlikes[$0] ?? $0 }))
    }

    enum Script: String {
        case latin = "Latin", greek = "Greek", cyrillic = "Cyrillic", armenian = "Armenian", hebrew = "Hebrew", arabic = "Arabic"
        case devanagari = "Devanagari", thai = "Thai", hangul = "Hangul", japanese = "Japanese", han = "Han", other = "other"

        static func of(_ scalar: Unicode.Scalar) -> Script {
            switch scalar.value {
            case 0x41...0x24F, 0x1E00...0x1EFF, 0xFF21...0xFF5A: return .latin
            case 0x370...0x3FF, 0x1F00...0x1FFF: return .greek
            case 0x400...0x52F, 0x2DE0...0x2DFF, 0xA640...0xA69F: return .cyrillic
            case 0x530...0x58F: return .armenian
            case 0x590...0x5FF: return .hebrew
            case 0x600...0x6FF, 0x750...0x77F: return .arabic
            case 0x900...0x97F: return .devanagari
            case 0xE00...0xE7F: return .thai
            case 0x1100...0x11FF, 0xAC00...0xD7AF: return .hangul
            case 0x3040...0x30FF: return .japanese
            case 0x4E00...0x9FFF, 0x3400...0x4DBF: return .han
            default: return .other
            }
        }
    }

    static let lookAlikes: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs: [(String, String)] = [
            ("а", "a"), ("в", "b"), ("е", "e"), ("ё", "e"), ("к", "k"), ("м", "m"), ("н", "h"), ("о", "o"), ("р", "p"), ("с", "c"),
            ("т", "t"), ("у", "y"), ("х", "x"), ("ѕ", "s"), ("і", "i"), ("ї", "i"), ("ј", "j"), ("һ", "h"), ("ԁ", "d"), ("ԛ", "q"),
            ("ԝ", "w"), ("ɡ", "g"), ("α", "a"), ("β", "b"), ("ε", "e"), ("η", "n"), ("ι", "i"), ("κ", "k"), ("ν", "v"), ("ο", "o"),
            ("ρ", "p"), ("τ", "t"), ("υ", "u"), ("χ", "x"), ("ω", "w"), ("ϲ", "c"), ("ј", "j"), ("0", "o"), ("1", "l"),
        ]
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (from, to) in pairs { table[from.unicodeScalars.first!] = to.unicodeScalars.first! }
        return table
    }()
}

/// What a password must be: at least 12 characters, not only spaces, at least 6 different characters, not the
/// user's name inside it, not a well-known password or keyboard run.
public enum PasswordRules {
    public static let minimumLength = 12

    public static func problem(_ password: String, user: String) -> String? {
        if password.count < minimumLength { return "a password needs at least \(minimumLength) characters" }
        if password.allSatisfy({ $0.isWhitespace }) { return "a password cannot be only spaces" }
        if Set(password).count < 6 { return "a password needs at least 6 different characters" }
        let lower = password.lowercased()
        let name = UserNames.normalised(user)
        if name.count >= 3, lower.contains(name) { return "a password cannot contain the user's name" }
        let squashed = lower.filter { $0.isLetter || $0.isNumber }
        if common.contains(where: { squashed.hasPrefix($0) && squashed.count <= $0.count + 4 }) {
            return "that password is too common; choose a longer phrase of unrelated words"
        }
        return nil
    }

    static let common = ["password", "passw0rd", "qwertyuiop", "asdfghjkl", "123456789", "1234567890", "letmein", "iloveyou", "welcome",
                         "admin", "threadguard", "changeme", "abcdefghijkl", "qazwsxedc"]
}
