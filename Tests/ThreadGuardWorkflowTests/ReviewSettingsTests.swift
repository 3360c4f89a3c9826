import Foundation
import Testing
import ThreadGuardStore
import ThreadGuardWorkflow
import ThreadGuardYAML

@Suite("review settings in threadguard.yaml")
struct ReviewSettingsTests {
    func load(_ review: String) throws -> AppConfig {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tg-review-settings-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/threadguard.yaml"
        try "database: tg.sqlite\nsources: []\n\(review)".write(toFile: file, atomically: true, encoding: .utf8)
        return try AppConfig.load(file: file)
    }

    @Test("defaults: crisis 15 minutes, adverse events 1 business day, others 1 day; the next item opens after an action")
    func defaults() throws {
        let config = try load("")
        #expect(config.review.responseTargets.crisis == .seconds(900))
        #expect(config.review.responseTargets.adverseEvent == .businessDays(1))
        #expect(config.review.responseTargets.other == .seconds(86_400))
        #expect(config.review.nextAfterAction)
    }

    @Test("targets and the next-item choice are read; a bad value is reported with its line and what to write")
    func readAndRefused() throws {
        let config = try load("review:\n  response_targets: {crisis: 10m, adverse_event: 2 business days, other: 4h}\n  next_after_action: false\n")
        #expect(config.review.responseTargets.crisis == .seconds(600))
        #expect(config.review.responseTargets.adverseEvent == .businessDays(2))
        #expect(config.review.responseTargets.other == .seconds(14_400))
        #expect(!config.review.nextAfterAction)
        do {
            _ = try load("review:\n  response_targets: {crisis: soon, urgent: 5m}\n")
            Issue.record("a bad target was accepted")
        } catch let issues as YAMLIssues {
            let text = "\(issues)"
            #expect(text.contains("'soon' is not a response target") && text.contains("1 business day"))
            #expect(text.contains("unknown key 'urgent'"))
            #expect(text.contains("threadguard.yaml:4:"), "\(text)")
        }
    }
}
