import Foundation
import Testing
import ThreadGuardCore
import ThreadGuardDetect
@testable import ThreadGuardPolicy

/// The engine answers word checks from one pass over the comment (`PhraseIndex`) instead of asking each word
/// list in turn. Both must give the same answer for every list of the shipped pack.
@Suite("phrase index")
struct PhraseIndexTests {
    static var policies: PolicySet {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return try! PolicyLoader.load(directory: url.appendingPathComponent("Policies").path)
    }

    @Test("agrees with asking each word list, on every test case of the shipped pack and on shifted copies")
    func agreesWithEachList() {
        let policies = Self.policies
        #expect(policies.phraseTables.count > 30)
        #expect(policies.phraseIndex.count == policies.phraseTables.count)
        var texts = (policies.detectors + policies.rules).flatMap { $0.tests.match + $0.tests.noMatch }.map(\.text)
        // Cut each text at its middle, so phrases also meet the ends of a text.
        texts += texts.map { String($0.dropFirst($0.count / 2)) } + texts.map { String($0.prefix($0.count / 2)) }
        #expect(texts.count > 500)
        var hitsSeen = 0
        for text in texts {
            let analysed = AnalysedText(text)
            let hits = policies.phraseIndex.occurring(in: analysed)
            for table in policies.phraseTables {
                let expected = table.phrases.occurs(in: analysed)
                #expect(hits.contains(table.number) == expected, "list \(table.number) on \(text)")
                if expected { hitsSeen += 1 }
            }
        }
        #expect(hitsSeen > texts.count)
    }

    @Test("skipping rules whose word lists are all absent changes no outcome of the shipped pack")
    func wordGatesChangeNothing() {
        let policies = Self.policies
        let gated = PolicyEngine(policies: policies)
        let full = PolicyEngine(policies: policies, wordGates: false)
        let gates = gated.detectorGates + gated.ruleGates
        #expect(gates.filter { $0 != nil }.count * 2 > gates.count, "most rules need some word")
        var texts = (policies.detectors + policies.rules).flatMap { $0.tests.match + $0.tests.noMatch }.map(\.text)
        texts += texts.map { String($0.dropFirst($0.count / 2)) } + texts.map { String($0.prefix($0.count / 2)) }
        let classifier = PHIClassifier()
        var fired = 0
        for text in texts {
            let analysed = AnalysedText(text)
            let analysis = classifier.analyse(analysed)
            let a = gated.evaluate(PolicyInput(text: analysed, raw: text, analysis: analysis))
            let b = full.evaluate(PolicyInput(text: analysed, raw: text, analysis: analysis))
            #expect(a.categories == b.categories, "\(text)")
            #expect(a.decision.rules == b.decision.rules && a.decision.actions == b.decision.actions, "\(text)")
            #expect(a.shadowRules == b.shadowRules && a.why == b.why, "\(text)")
            fired += b.decision.rules.count + b.detectors.count
        }
        #expect(fired > texts.count / 2)
    }

    @Test("a rule's necessary word lists: 'and' takes either side, 'or' needs one of both, 'not' needs none")
    func requiredLists() throws {
        let (folder, _) = try policyFolder("""
            rules:
              - id: and-or
                selections: {a: {text|includes-word: [pump]}, b: {text|includes-word: [broke]}, c: {text|includes-word: [refund]}, d: {phi: true}}
                condition: (a and d) or c
                actions: [review]
              - id: negated
                selections: {a: {text|includes-word|not: [pump]}, d: {phi: true}}
                condition: a or d
                actions: [review]
              - id: not-only
                selections: {a: {text|includes-word: [pump]}}
                condition: not a
                actions: [review]
            """)
        let policies = try PolicyLoader.load(directory: folder)
        let byID = Dictionary(uniqueKeysWithValues: policies.rules.map { ($0.id, $0) })
        let andOr = try #require(WordGate.required(byID["and-or"]!))
        #expect(Set(andOr.map { $0.phrases.phraseWords.count }) == [1])
        #expect(andOr.count == 2)
        #expect(WordGate.required(byID["negated"]!) == nil)
        #expect(WordGate.required(byID["not-only"]!) == nil)
        let engine = PolicyEngine(policies: policies)
        let input = { (text: String) in
            let analysed = AnalysedText(text)
            return PolicyInput(text: analysed, raw: text, analysis: PHIClassifier().analyse(analysed))
        }
        #expect(engine.evaluate(input("I want a refund")).decision.rules.contains("and-or"))
        #expect(engine.evaluate(input("nothing here")).decision.rules == ["negated", "not-only"])
    }

    @Test("a one-word and a three-word phrase of different lists, and a list with no phrase found")
    func smallIndex() {
        let sets = [PhraseSet(["stopped working", "broke"]), PhraseSet(["did not alert"]), PhraseSet(["never seen here"])]
        let index = PhraseIndex(sets)
        let hits = index.occurring(in: AnalysedText("The pump did not alert me and then it broke"))
        #expect(hits.contains(0))
        #expect(hits.contains(1))
        #expect(!hits.contains(2))
        let none = index.occurring(in: AnalysedText("The pump did not work"))
        #expect(!none.contains(0) && !none.contains(1) && !none.contains(2))
    }

    @Test("checks listing the same words share one table, numbered by its place")
    func sharedTables() {
        let policies = Self.policies
        var references = 0
        var distinct = Set<ObjectIdentifier>()
        for rule in policies.detectors + policies.rules {
            for check in rule.checks {
                switch check.matcher {
                case .words(let table, _):
                    references += 1
                    distinct.insert(ObjectIdentifier(table))
                case .near(let a, let b, _):
                    references += 2
                    distinct.formUnion([ObjectIdentifier(a), ObjectIdentifier(b)])
                default: break
                }
            }
        }
        #expect(distinct.count == policies.phraseTables.count)
        #expect(distinct.count < references)
        for (number, table) in policies.phraseTables.enumerated() { #expect(table.number == number) }
    }
}
