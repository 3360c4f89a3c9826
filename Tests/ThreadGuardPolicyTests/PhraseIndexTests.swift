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
