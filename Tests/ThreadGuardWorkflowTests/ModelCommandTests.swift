import Foundation
import Testing
import ThreadGuardStore
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

    func run(_ arguments: [String]) async throws -> (Int32, String, String) { try await runThreadguard(arguments) }

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

@Suite("learning from the review queue", .serialized)
struct ReviewLabelTests {
    @Test("reviewers' outcomes export as labels a model trains on, with or without text; replay rehearses a model")
    func exportAndTrain() async throws {
        let rig = try await CLIRig.start("labels")
        _ = try await rig.run(["poll", "--config", rig.configPath])
        let database = try rig.config.openDatabase()
        var all = QueueFilter()
        all.status = nil
        all.pageSize = 200
        let rows = try database.queue(all).rows
        #expect(rows.count >= 3)
        try database.review(itemID: rows[0].itemID, action: .dismiss, actor: "dana")
        try database.review(itemID: rows[1].itemID, action: .unhide, actor: "dana")
        try database.review(itemID: rows[2].itemID, action: .escalate, actor: "dana")
        let file = rig.folder + "/labels.jsonl"
        let (status, output, errors) = try await rig.run(["model", "export-labels", "--since", "1d", "--out", file, "--config", rig.configPath])
        #expect(status == 0, "\(errors)")
        #expect(output.contains("wrote 3 labelled comments") && output.contains("1 decisions confirmed, 1 dismissed, 1 unhidden"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0)
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let dismissed = try #require(lines.first { $0["outcome"] as? String == "dismissed" })
        #expect(dismissed["phi"] as? Bool == false && dismissed["hide"] as? Bool == false && dismissed["spans"] is NSNull)
        #expect(dismissed["text"] as? String == (try database.item(id: rows[0].itemID)?.text))
        #expect(lines.first { $0["outcome"] as? String == "unhidden" }?["hide"] as? Bool == false)
        #expect(lines.first { $0["outcome"] as? String == "escalated" } != nil)
        let bare = rig.folder + "/bare.jsonl"
        _ = try await rig.run(["model", "export-labels", "--since", "1d", "--out", bare, "--without-text", "--config", rig.configPath])
        let bareText = try String(contentsOfFile: bare, encoding: .utf8)
        for row in rows.prefix(3) { #expect(!bareText.contains(try #require(try database.item(id: row.itemID)).text)) }
        // Trained with the base corpus (two toy worlds) plus the reviews, then rehearsed on the stored history.
        let data = try ModelCommandTests().corpus(rig.folder)
        let (trained, trainOutput, trainErrors) = try await rig.run(["model", "train"] + data + [file, "--out", rig.folder + "/m", "--policies", RepoFolders.policies])
        #expect(trained == 0, "\(trainErrors)")
        #expect(trainOutput.contains("trained on 19 comments from 3 worlds"))
        let (replayed, replay, _) = try await rig.run(["policy", "replay", "--since", "1d", "--model", rig.folder + "/m", "--config", rig.configPath])
        #expect(replayed == 0)
        #expect(replay.contains("and the model in"))
        await rig.stop()
    }
}

@Suite("explaining the learned verdicts")
struct LearnedExplainTests {
    @Test("classify --explain names the features that weighed most in each verdict of the models")
    func explain() async throws {
        let folder = try scratchFolder("model-explain")
        let data = try ModelCommandTests().corpus(folder)
        _ = try await ModelCommandTests().run(["model", "train"] + data + ["--out", folder + "/m", "--policies", RepoFolders.policies])
        let input = folder + "/one.jsonl"
        try "{\"id\": \"x\", \"text\": \"my mom's pump alarm keeps failing at night\"}\n".write(toFile: input, atomically: true, encoding: .utf8)
        let (status, output, _) = try await ModelCommandTests().run(["classify", input, "--explain", "--model", folder + "/m", "--policies", RepoFolders.policies])
        #expect(status == 0)
        let verdict = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let lines = (verdict["explanation"] as? [String] ?? []).filter { $0.hasPrefix("model: ") }
        #expect(lines.first?.hasPrefix("model: phi ") == true, "\(lines)")
        #expect(lines.first?.contains("(threshold ") == true)
        #expect(lines.contains { $0.contains("word \"") || $0.contains("letters \"") }, "word features are named")
    }
}
