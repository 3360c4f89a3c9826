import Foundation
import Testing
@testable import ThreadGuardWorkflow

/// `threadguard model`: training is deterministic, cross-validation scores each world left out, and a damaged model
/// file stops `classify` with a message instead of judging with garbage.
@Suite("model commands", .serialized)
struct ModelCommandTests {
    /// Two small labelled worlds in the labelling guide's format.
    func corpus(_ folder: String) throws -> [String] {
        let rows: [(String, Bool, [String], [(Int, Int, String)])] = [
            ("my mom's pump alarm keeps failing at night", true, ["adverse_event"], []),
            ("call me at 614-555-0199 about my order", false, ["complaint"], [(11, 23, "PHONE")]),
            ("is it safe to double my dose?", true, ["medical_advice"], []),
            ("love the new colours", false, [], []),
            ("my husband Mike Russo has AFib", true, [], [(11, 21, "NAME")]),
            ("great webinar yesterday, thanks", false, [], []),
            ("this rash started after the injection", true, ["adverse_event"], []),
            ("FREE followers, DM me now", false, ["spam"], []),
        ]
        var paths: [String] = []
        for world in ["north", "south"] {
            var lines: [String] = []
            for (k, row) in rows.enumerated() {
                let spans = row.3.map { ["start": $0.0, "end": $0.1, "type": $0.2] as [String: Any] }
                let object: [String: Any] = ["id": "\(world)\(k)", "platform": "facebook", "kind": "comment", "context": [], "text": row.0,
                                             "phi": row.1, "spans": spans, "categories": row.2, "hide": !spans.isEmpty,
                                             "private_reply": row.1 || !spans.isEmpty, "about": row.1 ? (row.0.hasPrefix("my ") ? "third" : "self") : NSNull()]
                lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            }
            let path = folder + "/\(world).jsonl"
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        return paths
    }

    func run(_ arguments: [String]) async throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try threadguardBinary())
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        async let o = readToEnd(out.fileHandleForReading)
        async let e = readToEnd(err.fileHandleForReading)
        let (output, errors) = await (o, e)
        try await exited(process)
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    @Test("the same data gives a byte-identical model; cross-validation prints each world; classify loads the model")
    func trainTwice() async throws {
        let folder = try scratchFolder("model")
        let data = try corpus(folder)
        for out in ["a", "b"] {
            let (status, output, errors) = try await run(["model", "train"] + data + ["--out", folder + "/" + out, "--policies", RepoFolders.policies])
            #expect(status == 0, "\(errors)")
            #expect(output.contains("trained on 16 comments from 2 worlds"))
        }
        let first = try Data(contentsOf: URL(fileURLWithPath: folder + "/a/threadguard.model"))
        let second = try Data(contentsOf: URL(fileURLWithPath: folder + "/b/threadguard.model"))
        #expect(first == second)
        let (cv, table, _) = try await run(["model", "cross-validate"] + data + ["--policies", RepoFolders.policies])
        #expect(cv == 0)
        #expect(table.contains("| north |") && table.contains("| south |") && table.contains("| **worst** |"))
        let (classified, verdicts, _) = try await run(["classify", data[0], "--model", folder + "/a", "--policies", RepoFolders.policies])
        #expect(classified == 0)
        #expect(verdicts.split(separator: "\n").count == 8)
        #expect(verdicts.contains("\"scores\""))
        let (evaluated, report, _) = try await run(["model", "evaluate", data[1], "--model", folder + "/a", "--policies", RepoFolders.policies])
        #expect(evaluated == 0)
        #expect(report.contains("threshold tables") && report.contains("adverse_event (threshold"))
    }

    @Test("a damaged or missing model file stops classify with a message saying what to do")
    func damaged() async throws {
        let folder = try scratchFolder("model-damaged")
        let data = try corpus(folder)
        _ = try await run(["model", "train"] + data + ["--out", folder + "/m", "--policies", RepoFolders.policies])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/m/threadguard.model"))
        bytes[bytes.count / 3] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: folder + "/m/threadguard.model"))
        let (status, _, errors) = try await run(["classify", data[0], "--model", folder + "/m", "--policies", RepoFolders.policies])
        #expect(status == 78)
        #expect(errors.contains("is damaged (its checksum does not match); restore it or retrain it"))
        let (missing, _, missingErrors) = try await run(["classify", data[0], "--model", folder + "/none", "--policies", RepoFolders.policies])
        #expect(missing == 78)
        #expect(missingErrors.contains("no model file at"))
    }
}
