import Foundation
import Testing
import ThreadGuardCore
@testable import ThreadGuardPolicy

@Suite("Policies/schema.json")
struct SchemaTests {
    var schemaText: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return (try? String(contentsOf: url.appendingPathComponent("Policies/schema.json"), encoding: .utf8)) ?? ""
    }

    @Test("is JSON and knows every field, action and category the loader accepts")
    func inSync() throws {
        let text = schemaText
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
        for field in Field.allCases {
            #expect(text.contains(field.rawValue.replacingOccurrences(of: ".", with: "\\\\.")) || text.contains(field.rawValue), "\(field.rawValue)")
        }
        for action in ActionKind.allCases { #expect(text.contains("\"\(action.rawValue)\""), "\(action.rawValue)") }
        for category in Category.allCases { #expect(text.contains("\"\(category.rawValue)\""), "\(category.rawValue)") }
        for key in RuleReader.ruleKeys { #expect(text.contains("\"\(key)\""), "\(key)") }
    }
}
