import Foundation
import Testing
import ThreadGuardDemo
import ThreadGuardLearn
@testable import ThreadGuardWorkflow

/// The model file that ships in `Models/`: the demo and `poll` judge with it, and a model file that breaks after a
/// good run never stops `poll` (the last good copy is used, and the run says so).
@Suite("the shipped model", .serialized)
struct ShippedModelTests {
    static var shipped: String { RepoFolders.root + "/Models" }

    @Test("the shipped model is small, loads, and the demo judges with it: the sandbox receives exactly the summary's actions")
    func demoWithModel() async throws {
        let size = try #require(try FileManager.default.attributesOfItem(atPath: Self.shipped + "/" + ModelFile.fileName)[.size] as? Int)
        #expect(size > 100_000 && size < 20 << 20)
        let models = try ModelFile.read(folder: Self.shipped)
        #expect(models.provenance["worlds"]?.split(separator: ",").count == 9)
        let outcome = try await DemoRun(workdir: try scratchFolder("demo-model"), policies: RepoFolders.policies, connectors: RepoFolders.connectors,
                                        models: .required(Self.shipped), logger: LogCapture().logger()).run()
        #expect(outcome.actionsMatch)
        #expect(outcome.summary.flagged > 0 && outcome.summary.hidden > 0 && outcome.summary.repliesSent > 0)
        #expect(outcome.summary.deadActions == 0)
    }

    @Test("policy explain shows the learned verdicts with the shipped model, and the rules alone with --rules-only")
    func explainWithModel() async throws {
        let text = "my mom's pump alarm keeps failing at night"
        let (status, output, errors) = try await ModelCommandTests().run(["policy", "explain", text, "--model", Self.shipped, "--policies", RepoFolders.policies])
        #expect(status == 0, "\(errors)")
        #expect(output.contains("model: phi ") && output.contains("(threshold "))
        let (rulesStatus, rulesOutput, _) = try await ModelCommandTests().run(["policy", "explain", text, "--rules-only", "--policies", RepoFolders.policies])
        #expect(rulesStatus == 0)
        #expect(!rulesOutput.contains("model: ") && rulesOutput.contains("phi: true"))
    }

    @Test("the models key: absent uses Models/ beside the file when it has a model, a folder is required, none is the rules alone")
    func setting() throws {
        let folder = try scratchFolder("models-key")
        func parse(_ extra: String) throws -> ModelSetting {
            let path = folder + "/threadguard.yaml"
            try "database: tg.sqlite\nsources: []\n\(extra)".write(toFile: path, atomically: true, encoding: .utf8)
            return try AppConfig.load(file: path).models
        }
        #expect(try parse("") == .ifPresent(folder + "/Models"))
        #expect(try parse("models: learned\n") == .required(folder + "/learned"))
        #expect(try parse("models: none\n") == ModelSetting.none)
        #expect(try LastGoodModels(databasePath: folder + "/tg.sqlite").load(.ifPresent(folder + "/Models")).models == nil)
        #expect(throws: ModelFile.Problem.self) { try LastGoodModels(databasePath: folder + "/tg.sqlite").load(.required(folder + "/learned")) }
    }

    @Test("poll keeps the last good model when the configured file is damaged, and says so; with no good copy it stops with a message")
    func lastGood() async throws {
        let rig = try await CLIRig.start("model-last-good")
        let models = rig.folder + "/models"
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        let file = models + "/" + ModelFile.fileName
        try FileManager.default.copyItem(atPath: Self.shipped + "/" + ModelFile.fileName, toPath: file)
        let yaml = try String(contentsOfFile: rig.configPath, encoding: .utf8) + "models: \(models)\n"
        try yaml.write(toFile: rig.configPath, atomically: true, encoding: .utf8)
        let (first, _, firstErrors) = try await rig.run(["poll", "--config", rig.configPath])
        #expect(first == 0, "\(firstErrors)")
        let copy = rig.folder + "/db/models-last-good/" + ModelFile.fileName
        #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: file))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: file))
        let (second, _, secondErrors) = try await rig.run(["poll", "--config", rig.configPath])
        #expect(second != 78, "a damaged model with a good copy must not stop poll")
        #expect(secondErrors.contains("is damaged") && secondErrors.contains("kept the last good model"), "\(secondErrors)")
        #expect(FileManager.default.contents(atPath: copy) != bytes, "the damaged file never replaces the good copy")
        // The same damaged file with no good copy beside the database: a clear error, nothing judged with garbage.
        try FileManager.default.removeItem(atPath: rig.folder + "/db/models-last-good")
        let (third, _, thirdErrors) = try await rig.run(["poll", "--config", rig.configPath])
        #expect(third == 78)
        #expect(thirdErrors.contains("is damaged (its checksum does not match); restore it or retrain it"), "\(thirdErrors)")
        await rig.stop()
    }
}
