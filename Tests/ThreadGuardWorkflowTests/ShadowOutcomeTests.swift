import Foundation
import Testing
import ThreadGuardCore
import ThreadGuardPolicy
import ThreadGuardStore
@testable import ThreadGuardWorkflow

@Suite("shadow outcomes in reports and replay")
struct ShadowOutcomeTests {
    @Test("report consistency and policy replay show what shadow rules would have done, and what they recorded")
    func reportsAndReplay() async throws {
        let folder = try scratchFolder("shadow")
        try FileManager.default.copyItem(atPath: RepoFolders.policies, toPath: folder + "/Policies")
        try """
            rules:
              - id: trial.hide-colours
                mode: shadow
                selections: {c: {text|includes-word: colours}}
                condition: c
                actions: [hide, review]
            """.write(toFile: folder + "/Policies/trial.yaml", atomically: true, encoding: .utf8)
        let database = try scratchStore("shadow-db")
        _ = try await database.storePage(source: "s", stream: "x", items: [
            scratchComment(1, text: "Love the new colours"), scratchComment(2, text: "Great webinar"), scratchComment(3, text: "colours are off"),
        ], cursor: nil)
        let policies = try PolicyLoader.load(directory: folder + "/Policies")
        _ = try Decider(database: database, judge: Judge(policies: policies), logger: LogCapture().logger()).decidePending()
        let ids = try database.allItems().compactMap(\.id)

        let report = try ConsistencyReport.build(database: database)
        #expect(report.shadow["trial.hide-colours"]?.items.sorted() == [ids[0], ids[2]])
        #expect(report.shadow["trial.hide-colours"]?.wouldHave == ["hide": 2, "review": 2])
        #expect(report.render().contains("trial.hide-colours: fired on 2 items, would have hide ×2, would have review ×2"))

        // Replay with the rule widened: it would now fire on three items.
        try """
            rules:
              - id: trial.hide-colours
                mode: shadow
                selections: {c: {text|includes-word: [colours, webinar]}}
                condition: c
                actions: [hide]
            """.write(toFile: folder + "/Policies/trial.yaml", atomically: true, encoding: .utf8)
        let replay = try PolicyReplay(databasePath: database.path, policies: try PolicyLoader.load(directory: folder + "/Policies"))
            .run(since: Date().addingTimeInterval(-3600))
        #expect(replay.shadow["trial.hide-colours"]?.items.count == 3 && replay.shadow["trial.hide-colours"]?.wouldHide.count == 3)
        #expect(replay.recordedShadow["trial.hide-colours"]?.count == 2)
        #expect(replay.changed.isEmpty, "shadow rules change no enforced decision")
    }
}
