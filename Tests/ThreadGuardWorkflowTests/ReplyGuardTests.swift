import Foundation
import Testing
import ThreadGuardCore
import ThreadGuardDetect
import ThreadGuardPolicy
@testable import ThreadGuardWorkflow

@Suite("reply guard")
struct ReplyGuardTests {
    let policies = try! PolicyLoader.load(directory: RepoFolders.policies)
    var judge: Judge { Judge(policies: policies) }

    @Test("refuses every draft seeded with text a finding covers in the dev comments")
    func refusesSeededDrafts() throws {
        let path = RepoFolders.root + "/../shared/eval/dev.jsonl"
        guard let data = FileManager.default.contents(atPath: path) else { return }  // shared/ absent: skip
        let judge = self.judge
        let base = policies.templates["take_private"]!.render(policies.variables)
        var seeded = 0, refused = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let text = row["text"] as? String else { continue }
            let analysis = judge.classifier.analyse(text)
            for covered in ReplyGuard.covered(analysis, in: text) {
                seeded += 1
                let draft = base + " We have noted " + covered.text + "."
                if judge.replyGuard.check(draft, covered: ReplyGuard.covered(analysis, in: text)) != nil { refused += 1 }
            }
        }
        #expect(seeded > 300)
        #expect(refused == seeded, "refused \(refused) of \(seeded)")
    }

    @Test("passes every shipped template in every language")
    func passesShippedTemplates() {
        let judge = self.judge
        for template in policies.templates.values {
            for language in [nil] + Array(template.variants.keys) {
                let text = template.render(policies.variables, language: language)
                let covered = ReplyGuard.covered(judge.classifier.analyse("my mom's MRN is 00123456, call me at 614-555-0199"), in: "my mom's MRN is 00123456, call me at 614-555-0199")
                #expect(judge.replyGuard.check(text, covered: covered) == nil, "\(template.id) \(language ?? "en")")
            }
        }
    }

    @Test("refuses drafts that confirm a care relationship, names or numbers written another way")
    func refusals() {
        let guardian = judge.replyGuard
        let covered: [(type: FindingType, text: String)] = [(.phone, "614-555-0199"), (.name, "Mike Russo")]
        #expect(guardian.check("Sorry about your visit last week, please call us.", covered: [])?.reason.contains("care relationship") == true)
        #expect(guardian.check("Lamentamos lo de su cita.", covered: []) != nil)
        #expect(guardian.check("We'll call you at 614 555 0199.", covered: covered)?.reason == ReplyGuard.personalDetails)
        #expect(guardian.check("Hi Mike, please DM us.", covered: covered)?.reason == ReplyGuard.personalDetails)
        #expect(guardian.check("Thanks for reaching out, please DM us.", covered: covered) == nil)
    }
}
