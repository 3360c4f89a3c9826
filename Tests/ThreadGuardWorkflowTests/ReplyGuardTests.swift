import Foundation
import Testing
import ThreadGuardCore
import ThreadGuardDetect
import ThreadGuardPolicy
import ThreadGuardStore
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

/// The reply guard reads the reply itself, after the normaliser: identifiers typed into a reply, hidden or spelled
/// out, and anything the thread's findings cover, are refused with one and the same reason.
@Suite("reply guard against obfuscated and thread-wide leaks")
struct ReplyGuardLeakTests {
    let judge = Judge(policies: try! PolicyLoader.load(directory: RepoFolders.policies))
    static let base = "Thanks for reaching out, please call 1-800-555-0100 or write to care@meridianmed.example."

    /// A stored thread: the brand's post, the comment answered, a sibling with its own identifiers.
    func thread(sibling: String = "Write to me at dana.k.whitfield@example.org, my MRN is 55512345, I'm Maria Lopez and I live at 12 Oak Street") -> [ThreadText] {
        [ThreadText(text: "Our new pump is here!", isBrand: true, findings: nil),
         ThreadText(text: "my husband's pump alarm keeps failing", isBrand: false, findings: nil),
         ThreadText(text: sibling, isBrand: false, findings: nil)]
    }

    @Test("a reply holding an identifier of any type is refused, whatever the thread", arguments: [
        "Hi Maria Lopez,", "MRN 48213377 is on file.", "We'll call you at 614-555-0199.", "We wrote to jo.smith@example.org.",
        "SSN 512-38-7714 noted.", "Member ID QX4471002 noted.", "Your account number 00458812 noted.",
        "Serial number RE3-20231187 noted.", "Plate 7ABC123 noted.", "Visit http://bit.ly/3xYz9 for details.",
        "We saw you were born on 03/14/1962.", "Our nurse will visit 12 Oak Street, Dayton.", "Login from 203.0.113.7 noted.",
        "Since your mother is 93 years old,",
    ])
    func identifiers(_ insert: String) {
        let refusal = judge.checkDraft(insert + " " + Self.base, thread: [ThreadText(text: "thanks", isBrand: false, findings: nil)])
        #expect(refusal == ReplyGuard.personalDetails, "\(insert)")
    }

    @Test("hidden and spelled-out copies of the thread's details are refused", arguments: [
        "Hi Ma\u{200B}ria, ",                                    // zero-width space inside a name
        "Hi Мaria, ",                                            // Cyrillic М
        "We noted d\u{200D}ana.k.whitfield@example.org. ",       // zero-width joiner in an email
        "We noted dana.k.whitfield at example dot org. ",        // spelled-out email
        "Your record five five five one two three four five. ", // spelled-out digits of the MRN
        "Your record ５５５１２３４５. ",                             // full-width digits
        "See you on Oak Street! ",                               // a place from a sibling
    ])
    func obfuscated(_ insert: String) {
        #expect(judge.checkDraft(insert + Self.base, thread: thread()) == ReplyGuard.personalDetails, "\(insert)")
    }

    @Test("the brand's own contact details and every shipped template pass beside a thread full of identifiers")
    func templates() {
        #expect(judge.checkDraft(Self.base, thread: thread()) == nil)
        let policies = try! PolicyLoader.load(directory: RepoFolders.policies)
        for template in policies.templates.values {
            for language in [nil] + Array(template.variants.keys) {
                let text = template.render(policies.variables, language: language)
                #expect(judge.checkDraft(text, thread: thread()) == nil, "\(template.id) \(language ?? "en")")
            }
        }
    }

    @Test("a refusal reads the same whether or not a guess matches a finding in the thread")
    func sameAnswer() {
        let matching = judge.checkDraft("Write to dana.k.whitfield@example.org. " + Self.base, thread: thread())
        let guessed = judge.checkDraft("Write to dana.q.whitfield@example.org. " + Self.base, thread: thread())
        let matchingMRN = judge.checkDraft("MRN 55512345. " + Self.base, thread: thread())
        let guessedMRN = judge.checkDraft("MRN 55512399. " + Self.base, thread: thread())
        #expect(matching != nil && matching == guessed && guessed == matchingMRN && matchingMRN == guessedMRN)
    }

    @Test("stored findings of the thread are used as stored: a sibling's finding is covered without classifying again")
    func storedFindings() {
        let sibling = "ask for Zed Quorn at the desk"
        let scalars = Array(sibling.unicodeScalars)
        let start = Array("ask for ".unicodeScalars).count
        let finding = FindingRecord(decisionID: 1, type: "NAME", start: start, end: start + 9, score: 0.9, recognizer: "test")
        #expect(String(String.UnicodeScalarView(scalars[start..<start + 9])) == "Zed Quorn")
        let stored = [ThreadText(text: sibling, isBrand: false, findings: [finding])]
        #expect(judge.checkDraft("Hello Quorn, " + Self.base, thread: stored) == ReplyGuard.personalDetails)
        #expect(judge.checkDraft(Self.base, thread: stored) == nil)
    }
}
