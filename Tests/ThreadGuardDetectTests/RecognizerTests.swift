import Testing
import ThreadGuardCore
@testable import ThreadGuardDetect

@Suite("recognizers")
struct RecognizerTests {
    @Test("phone numbers", arguments: [
        ("call me at 555-867-5309 tonight", ["555-867-5309"]),
        ("my cell (216) 555-0143", ["216) 555-0143"]),
        ("reach me on 216.555.0143", ["216.555.0143"]),
        ("+44 20 7946 0958 is my UK line", ["+44 20 7946 0958"]),
        ("text 1 216 555 0143", ["1 216 555 0143"]),
    ])
    func phonePositives(_ text: String, _ expected: [String]) {
        #expect(found(PhoneRecognizer(), in: text) == expected)
    }

    @Test("not phone numbers", arguments: [
        "it cost $1,299.00 in 2023", "model RE3-2023 arrived", "I scored 98 out of 100", "order 1111111111 is a test",
        "between 2019 and 2021", "version 10.4.2 broke it",
    ])
    func phoneNegatives(_ text: String) {
        #expect(found(PhoneRecognizer(), in: text).isEmpty)
    }

    @Test("email addresses", arguments: [
        ("write to jane.doe@gmail.com please", ["jane.doe@gmail.com"]),
        ("(bob_smith+cpap@yahoo.co.uk)", ["bob_smith+cpap@yahoo.co.uk"]),
    ])
    func emails(_ text: String, _ expected: [String]) {
        #expect(found(EmailRecognizer(), in: text) == expected)
    }

    @Test("context-gated record numbers need their context", arguments: [
        ("MRN 00123456", ["00123456"]), ("her chart # is 4471-2290", ["4471-2290"]), ("patient id: A778812", ["A778812"]),
        ("00123456 is a number", []), ("my chart looked fine", []),
    ])
    func mrn(_ text: String, _ expected: [String]) {
        let recognizer = PHIClassifier.defaultRecognizers().first { $0.name == "mrn" }!
        #expect(found(recognizer, in: text) == expected)
    }

    @Test("care facilities", arguments: [
        ("The seniors at Mossy Hills Home loved it", ["Mossy Hills Home"]),
        ("my nan is in Willow Creek Manor now", ["Willow Creek Manor"]),
        ("she moved to Sunrise Senior Living", ["Sunrise Senior Living"]),
        ("I love being home", []), ("Home sweet home", []),
    ])
    func facilities(_ text: String, _ expected: [String]) {
        #expect(found(FacilityRecognizer(heads: Lexicon.builtIn("facility_heads")), in: text) == expected)
    }

    @Test("the brand's own phone number and email are not identifiers")
    func brandContacts() {
        let brand = BrandProfile(phones: ["1-800-555-0100"], emails: ["care@meridianmed.example"], domains: ["meridianmed.example"])
        #expect(classified(.phone, in: "call 1 (800) 555-0100 for help", brand: brand).isEmpty)
        #expect(classified(.email, in: "write to care@meridianmed.example", brand: brand).isEmpty)
        #expect(classified(.email, in: "write to jo@meridianmed.example.evil.com", brand: brand) == ["jo@meridianmed.example.evil.com"])
    }
}

@Suite("comment verdict")
struct VerdictTests {
    @Test("residents of a named facility are PHI")
    func facilityResidents() {
        let analysis = PHIClassifier().analyse("Great stethoscope! The senior citizens at Mossy Hills Home loved it!")
        #expect(analysis.phi)
        #expect(analysis.subject == .facilityResidents)
    }

    @Test("a relative's condition is PHI about a third party")
    func relative() {
        let analysis = PHIClassifier().analyse("my husband's pacemaker keeps beeping")
        #expect(analysis.phi)
        #expect(analysis.subject == .relative)
    }

    @Test("abstract product questions are not PHI")
    func abstract() {
        #expect(!PHIClassifier().analyse("Can this pump be used by kids?").phi)
        #expect(!PHIClassifier().analyse("Love the new colours!").phi)
    }
}
