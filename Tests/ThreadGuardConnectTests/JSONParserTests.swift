import Foundation
import Testing
import ThreadGuardCore

/// The hand-written JSON reader that replaced JSONSerialization for response bodies and classify's input lines.
@Suite("JSON reader")
struct JSONParserTests {
    static func parse(_ text: String) -> JSONValue? { JSONValue.parse(Data(text.utf8)) }

    @Test("values of every kind")
    func values() {
        let value = Self.parse(#" { "a": [1, -2.5, 3e2, 0, true, false, null], "b": {"c": "d"}, "e": "" } "#)
        #expect(value == .object([
            "a": .array([.number(1), .number(-2.5), .number(300), .number(0), .bool(true), .bool(false), .null]),
            "b": .object(["c": .string("d")]), "e": .string(""),
        ]))
        #expect(Self.parse("42") == .number(42))
        #expect(Self.parse("[]") == .array([]))
        #expect(Self.parse("{}") == .object([:]))
    }

    @Test("string escapes, surrogate pairs and raw UTF-8")
    func strings() {
        #expect(Self.parse(#""a\"b\\c\/d\n\t\r\b\f""#) == .string("a\"b\\c/d\n\t\r\u{08}\u{0C}"))
        #expect(Self.parse(#""caf\u00e9 \ud83d\ude00""#) == .string("café 😀"))
        #expect(Self.parse("\"mamá 😀\"") == .string("mamá 😀"))
        // A lone surrogate cannot be a scalar: it becomes U+FFFD rather than failing the whole document.
        #expect(Self.parse(#""x\ud83dy""#) == .string("x\u{FFFD}y"))
        #expect(Self.parse(#""\udc00""#) == .string("\u{FFFD}"))
    }

    /// Strings are scanned eight bytes at a time: a quote, an escape or a control character must be seen at
    /// every offset within and across those words.
    @Test("long strings end, unescape and refuse control characters at every offset")
    func longStrings() {
        for offset in 0..<40 {
            let before = String(repeating: "a", count: offset), after = String(repeating: "b", count: 23)
            #expect(Self.parse("\"\(before)\"") == .string(before))
            #expect(Self.parse("\"\(before)\\\"\(after)\"") == .string(before + "\"" + after))
            #expect(Self.parse("\"\(before)\\n\(after)\"") == .string(before + "\n" + after))
            #expect(Self.parse("\"\(before)é😀\(after)\"") == .string(before + "é😀" + after))
            #expect(Self.parse("\"\(before)\u{1F}\(after)\"") == nil)
            #expect(Self.parse("\"\(before)\t\(after)\"") == nil)
            #expect(Self.parse("[\"\(before)\", \"\(after)\"]") == .array([.string(before), .string(after)]))
        }
    }

    @Test("a UTF-8 byte-order mark before the document is skipped")
    func byteOrderMark() {
        #expect(JSONValue.parse(Data([0xEF, 0xBB, 0xBF]) + Data("[1]".utf8)) == .array([.number(1)]))
    }

    @Test("not JSON gives nil", arguments: [
        "", "   ", "{", "[1,]", "{\"a\":1,}", "{'a': 1}", "[01]", "[1.]", "[.5]", "[1e]", "tru", "nul", "\"abc",
        "\"a\u{01}b\"", "\"\\x\"", "\"\\u12\"", "{\"a\" 1}", "{1: 2}", "[1 2]", "[1] x", "// c\n[1]", "+1", "<html>",
    ])
    func malformed(_ text: String) {
        #expect(Self.parse(text) == nil)
    }

    @Test("nesting deeper than the limit is refused, not a crash")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(Self.parse(deep) == nil)
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(Self.parse(fine) != nil)
    }

    /// Every recorded platform response reads the same as Foundation reads it (skipped without the folder).
    @Test("recorded platform bodies read as Foundation reads them", .enabled(if: Recorded.available))
    func agreesWithFoundation() throws {
        let files = FileManager.default.enumerator(atPath: Recorded.folder)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }
        #expect(files.count > 30)
        for file in files {
            let data = FileManager.default.contents(atPath: Recorded.folder + "/" + file)!
            #expect(JSONValue.parse(data) == Self.foundation(data), "\(file)")
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            if let text = (object?["response"] as? [String: Any])?["body"] as? String {
                let body = Data(text.utf8)
                #expect(JSONValue.parse(body) == Self.foundation(body), "\(file) body")
            }
        }
    }

    static func foundation(_ data: Data) -> JSONValue? {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        return convert(object)
    }

    static func convert(_ any: Any) -> JSONValue {
        switch any {
        case let dict as [String: Any]: return .object(dict.mapValues(convert))
        case let list as [Any]: return .array(list.map(convert))
        case let text as String: return .string(text)
        case let number as NSNumber:
            if number.objCType.pointee == 0x63 { return .bool(number.boolValue) }
            return .number(number.doubleValue)
        default: return .null
        }
    }
}

/// JSONText.quote writes audit-chain content: its exact output is part of every stored hash.
@Suite("JSON string writing")
struct JSONTextTests {
    @Test("quotes exactly as the audit chain expects and reads back", arguments: [
        ("plain", #""plain""#), ("say \"hi\"", #""say \"hi\"""#), ("a\\b", #""a\\b""#), ("l1\nl2\r\t", #""l1\nl2\r\t""#),
        ("bell\u{07}", #""bell\u0007""#), ("\u{1F}", #""\u001f""#), ("mamá 😀 \u{2028}", "\"mamá 😀 \u{2028}\""), ("", #""""#),
    ])
    func quote(_ text: String, _ expected: String) {
        #expect(JSONText.quote(text) == expected)
        #expect(JSONValue.parse(Data(JSONText.quote(text).utf8)) == .string(text))
    }
}
