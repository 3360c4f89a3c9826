import Foundation
import Testing
import ThreadGuardCore
@testable import ThreadGuardDetect

@Suite("comment verdict")
struct VerdictTests {
    func analyse(_ text: String) -> Analysis { PHIClassifier(brand: testBrand).analyse(text) }

    @Test("whose health it is", arguments: [
        ("Great stethoscope! The senior citizens at Mossy Hills Home loved it!", HealthSubject.facilityResidents),
        ("my husband's pacemaker keeps beeping", .relative), ("I've had AFib since 2019 and your monitor caught it", .commenter),
        ("My BreatheRight gave me a rash", .commenter), ("Mi mamá tiene diabetes", .relative),
        ("Happy birthday to Mabel Kincaid at Harbor View Nursing Center!", .namedPerson),
    ])
    func subjects(_ text: String, _ subject: HealthSubject) {
        let analysis = analyse(text)
        #expect(analysis.phi)
        #expect(analysis.subject == subject)
    }

    @Test("not PHI: abstract questions, products, pets, staff, identifiers without health", arguments: [
        "Can this pump be used by kids?", "Love the new colours!", "Cadence is such a pretty name for a pacemaker",
        "Used it on my cat's abscess and it healed", "nurse Kayla was rude to everyone at the desk",
        "I moved, new address 12 Oak St. MRN 10447258", "Check out my channel for CPAP mask reviews",
        "what's the max dose of acetaminophen for someone on warfarin? I've read lower",
        "i fell asleep before the mask part", "no one hurt, thankfully, but my car is wrecked",
    ])
    func notPHI(_ text: String) {
        #expect(!analyse(text).phi)
    }

    @Test("findings point at the original text in code points, after emoji and accents")
    func offsets() {
        let text = "😀😀 café call 555-867-5309"
        let phone = analyse(text).findings.first { $0.type == .phone }
        #expect(phone?.start == 13)
        #expect(phone?.end == 25)
    }

    @Test("every finding explains itself when asked, and costs nothing when not")
    func explanations() {
        let text = "My mom's MRN is 00123456 and her pump failed, call 555-867-5309"
        let analysis = PHIClassifier(brand: testBrand).analyse(text, explain: true)
        #expect(self.analyse(text).findings.allSatisfy { $0.explanation.isEmpty })
        for finding in analysis.findings { #expect(!finding.explanation.isEmpty) }
        #expect(analysis.explanation.contains { $0.hasPrefix("phi score") })
    }
}

@Suite("word-list warm-up")
struct WarmUpTests {
    @Test("every static word list of the detector module is built by LexiconWarmUp")
    func everyStaticListIsWarmed() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let module = root.appendingPathComponent("Sources/ThreadGuardDetect")
        let warmUp = try String(contentsOf: module.appendingPathComponent("Text/LexiconWarmUp.swift"), encoding: .utf8)
        let files = FileManager.default.enumerator(at: module, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        // Word lists, and the values that group them (`HealthWords`, `PlaceWords`).
        let pattern = try Regex("static let (\\w+) = (?:WordSet|PhraseSet|\\w+Words)\\(")
        var checked = 0
        for file in files {
            let source = try String(contentsOf: file, encoding: .utf8)
            for match in source.matches(of: pattern) {
                let name = String(source[match.output[1].range!])
                #expect(warmUp.contains(".\(name)."), "\(file.lastPathComponent): \(name) is not built by LexiconWarmUp")
                checked += 1
            }
        }
        #expect(checked > 20)
    }
}

/// The overlap resolution keeps exactly what the simple rule keeps: the best findings that overlap none kept before.
@Suite("overlap resolution")
struct OverlapResolutionTests {
    @Test("agrees with checking every kept finding, on 3,000 random sets")
    func agrees() {
        let classifier = PHIClassifier()
        var generator = SplitMix(seed: 11)
        for _ in 0..<3_000 {
            let findings = (0..<Int(generator.next() % 40)).map { _ -> Finding in
                let start = Int(generator.next() % 200)
                let length = Int(generator.next() % 25)
                return Finding(type: .phone, start: start, end: start + length, score: Double(generator.next() % 5) / 4, recognizer: "r")
            }
            let sorted = findings.sorted { ($0.score, $0.end - $0.start) > ($1.score, $1.end - $1.start) }
            var reference: [Finding] = []
            for finding in sorted where !reference.contains(where: { $0.start < finding.end && finding.start < $0.end }) { reference.append(finding) }
            #expect(classifier.resolveOverlaps(findings) == reference.sorted { $0.start < $1.start })
        }
    }
}
