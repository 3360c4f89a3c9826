import Foundation
import Testing
import ThreadGuardPolicy
@testable import ThreadGuardWorkflow

/// `classify` streams its input and bounds what one comment may cost: a huge comment is judged on its first
/// 65,536 characters and queued for a person; a runaway line is skipped, not buffered.
@Suite("classify on huge and broken input", .serialized)
struct ClassifyStreamTests {
    func classify(_ input: Data) async throws -> (Int32, String, String) {
        try await runThreadguard(["classify", "--policies", RepoFolders.policies], input: input)
    }

    @Test("a 4 MB comment is judged on its first 65,536 characters and queued for a person")
    func hugeComment() async throws {
        let head = "call me at 614-555-0199 about my mom's pump. "
        let text = head + String(repeating: "the pump is loud at night and ", count: 140_000) + " write to jo.smith@example.org"
        let line = try JSONSerialization.data(withJSONObject: ["id": "huge", "text": text]) + Data("\n".utf8)
        let (status, output, _) = try await classify(line)
        #expect(status == 0)
        let verdict = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let findings = verdict["findings"] as? [[String: Any]] ?? []
        #expect(findings.contains { $0["type"] as? String == "PHONE" })
        #expect(!findings.contains { $0["type"] as? String == "EMAIL" }, "the part past the cap is not analysed")
        #expect(findings.allSatisfy { ($0["end"] as? Int ?? 0) <= Judge.maxAnalysedScalars })
        #expect((verdict["rules"] as? [String])?.contains(Judge.tooLongRule) == true)
        #expect((verdict["actions"] as? [String])?.contains("review") == true)
    }

    @Test("lines split across reads, CRLF, blank lines, a bad line and no final newline")
    func brokenLines() async throws {
        var input = ""
        for k in 0..<3000 { input += "{\"id\": \"c\(k)\", \"text\": \"\(String(repeating: "my son's inhaler ", count: 40)) \(k)\"}\r\n" }
        input += "\n   \nnot json\n{\"id\": \"last\", \"text\": \"call 614-555-0199\"}"
        let (status, output, errors) = try await classify(Data(input.utf8))
        #expect(status == 65)
        #expect(errors.contains("stdin:3003: not a comment"), "\(errors)")
        let ids = output.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? String }
        #expect(ids.count == 3001)
        #expect(ids.first == "c0" && ids.last == "last")
    }

    @Test("a line past 64 MiB is skipped with a message; the lines after it are still classified")
    func runawayLine() async throws {
        var input = Data("{\"id\": \"a\", \"text\": \"first\"}\n{\"id\": \"b\", \"text\": \"".utf8)
        input.append(Data(repeating: UInt8(ascii: "x"), count: 65 << 20))
        input.append(Data("\"}\n{\"id\": \"c\", \"text\": \"call 614-555-0199\"}\n".utf8))
        let (status, output, errors) = try await classify(input)
        #expect(status == 65)
        #expect(errors.contains("stdin:2: line longer than 64 MiB; skipped"))
        let ids = output.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? String }
        #expect(ids == ["a", "c"])
    }
}
