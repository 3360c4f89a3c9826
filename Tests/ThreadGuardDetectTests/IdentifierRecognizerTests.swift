import Testing
import ThreadGuardCore
@testable import ThreadGuardDetect

@Suite("pattern recognizers with validators")
struct IdentifierRecognizerTests {
    @Test("phone: positives", arguments: [
        ("call me at 555-867-5309 tonight", ["555-867-5309"]), ("my cell (216) 555-0143", ["(216) 555-0143"]),
        ("reach me on 216.555.0143", ["216.555.0143"]), ("+44 20 7946 0958 is my UK line", ["+44 20 7946 0958"]),
        ("text 1 216 555 0143", ["1 216 555 0143"]), ("call four one nine, five five five, oh one two five", ["four one nine, five five five, oh one two five"]),
        ("llámame al seis uno cuatro cinco cinco cinco cero uno tres tres", ["seis uno cuatro cinco cinco cinco cero uno tres tres"]),
        ("call 6 1 4 . 5 5 5 . 0 1 6 2 please", ["6 1 4 . 5 5 5 . 0 1 6 2"]), ("ph 6️⃣1️⃣4️⃣5️⃣5️⃣5️⃣0️⃣1️⃣9️⃣1️⃣", ["6️⃣1️⃣4️⃣5️⃣5️⃣5️⃣0️⃣1️⃣9️⃣1️⃣"]),
        ("call ６１４－５５５－０１７７", ["６１４－５５５－０１７７"]), ("call 740\u{200B}-555\u{200B}-0193", ["740\u{200B}-555\u{200B}-0193"]),
        ("Mobile: 03.93.92.16.85", ["03.93.92.16.85"]), ("call me on 0688 872 49 99 please", ["0688 872 49 99"]),
    ])
    func phonePositives(_ text: String, _ expected: [String]) {
        #expect(classified(.phone, in: text) == expected)
    }

    @Test("phone: hard negatives", arguments: [
        "it cost $1,299.00 in 2023", "model RE3-2023 arrived", "I scored 98 out of 100", "order 1111111111 is a test",
        "between 2019 and 2021", "version 10.4.2 broke it", "call 1-800-555-0100 for help", "the helpline (888) 555-0199 is open",
        "catalogue no. 0048812201", "one of my two kids is five", "my phone died at 12 34 today", "call 1 800 555 0100 now",
    ])
    func phoneNegatives(_ text: String) {
        #expect(classified(.phone, in: text).isEmpty)
    }

    @Test("email: plain and obfuscated", arguments: [
        ("write to jane.doe@gmail.com please", ["jane.doe@gmail.com"]), ("(bob_smith+cpap@yahoo.co.uk)", ["bob_smith+cpap@yahoo.co.uk"]),
        ("reach me at dmaxwell77 at yahoo dot com", ["dmaxwell77 at yahoo dot com"]), ("escríbanme a luz.o arroba hotmail punto com", ["luz.o arroba hotmail punto com"]),
        ("x: m.p (at) comcast (dot) net.", ["m.p (at) comcast (dot) net"]), ("c.m [at] lyon-hebdo [point] fr", ["c.m [at] lyon-hebdo [point] fr"]),
        ("is gwen dot albright at yahoo dot com.", ["gwen dot albright at yahoo dot com"]), ("glеnn.haрper@gmail.com", ["glеnn.haрper@gmail.com"]),
        ("k.aduba＠riverton-state.edu", ["k.aduba＠riverton-state.edu"]),
    ])
    func emails(_ text: String, _ expected: [String]) {
        #expect(classified(.email, in: text) == expected)
    }

    @Test("email: hard negatives", arguments: [
        "meet me at home dot", "I was at the clinic. Com on", "@MeridianMed help", "write to care@acme.example", "ratio 3 at 5 dot 2",
    ])
    func emailNegatives(_ text: String) {
        #expect(classified(.email, in: text).isEmpty)
    }

    @Test("SSN with validity rules", arguments: [
        ("It's 512-38-7704, fix it", ["512-38-7704"]), ("my social is 283 51 9046", ["283 51 9046"]),
        ("SSN 344 61.0972 ok", ["344 61.0972"]), ("social security is five two six, four one, seven seven zero three", ["five two six, four one, seven seven zero three"]),
        ("ssn 4 0 1 - 2 2 - 8 8 5 7", ["4 0 1 - 2 2 - 8 8 5 7"]),
    ])
    func ssn(_ text: String, _ expected: [String]) {
        #expect(classified(.ssn, in: text) == expected)
    }

    @Test("SSN: invalid areas, groups and serials, and bare 3-2-4 without dashes", arguments: [
        "000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000", "codes 123 45 6789 here", "part 512.38.7704",
    ])
    func ssnNegatives(_ text: String) {
        #expect(classified(.ssn, in: text).isEmpty)
    }

    @Test("IP addresses", arguments: [
        ("accessed from 203.0.113.47, weird", ["203.0.113.47"]), ("IP 198[.]51[.]100[.]23 is mine", ["198[.]51[.]100[.]23"]),
        ("my ip is 2001:db8:4f1a::2c, i'm home", ["2001:db8:4f1a::2c"]),
    ])
    func ip(_ text: String, _ expected: [String]) {
        #expect(classified(.ip, in: text) == expected)
    }

    @Test("IP: hard negatives", arguments: ["version 10.4.2", "at 2:14am", "999.1.1.1 is not one", "go to http://203.0.113.9/claim now", "1.2.3.4.5 dots"])
    func ipNegatives(_ text: String) {
        #expect(classified(.ip, in: text).isEmpty)
    }

    @Test("personal URLs (a path, or a site the text calls its own), not shorteners, bare domains or the brand's", arguments: [
        ("help here: https://www.gofundme.com/f/help-jules", ["https://www.gofundme.com/f/help-jules"]),
        ("pics flic.kr/p/teresa-2b9x.", ["flic.kr/p/teresa-2b9x"]), ("see bit.ly/rich-fast", []), ("visit acme.example/help", []),
        ("google.com is down", []), ("https://acme.example/reminders", []),
        ("My website is https://www.junebakes.example/", ["https://www.junebakes.example/"]), ("check out https://deals.example/ now", []),
    ])
    func urls(_ text: String, _ expected: [String]) {
        #expect(classified(.url, in: text) == expected)
    }

    @Test("Medicare MBI by its character rules", arguments: [
        ("my Medicare is 4TW2-JK8-RP61 ok", ["4TW2-JK8-RP61"]), ("card 1EG4TE5MK73", ["1EG4TE5MK73"]), ("spaced 3 G H 7 - P K 2 - W N 4 4.", ["3 G H 7 - P K 2 - W N 4 4"]),
        ("bad 0EG4TE5MK73", []), ("bad 1SG4TE5MK73", []), ("product ABCD-123-EFGH", []),
    ])
    func mbi(_ text: String, _ expected: [String]) {
        #expect(classified(.healthPlanID, in: text) == expected)
    }

    @Test("VIN by its check digit, or after 'VIN'", arguments: [
        ("car 1M8GDM9AXKP042788 parked", ["1M8GDM9AXKP042788"]), ("VIN 5YJ3E1EA0KF904418 there", ["5YJ3E1EA0KF904418"]),
        ("code 1M8GDM9A1KP042788 wrong check", []), ("serial ABCDEFGHJKLMNPRST", []),
    ])
    func vin(_ text: String, _ expected: [String]) {
        #expect(classified(.vehicleID, in: text) == expected)
    }

    @Test("registry numbers: NPI Luhn, DEA checksum, licence prefixes, GS1 UDI", arguments: [
        ("NPI 1234567893", ["1234567893"]), ("NPI 1234567890", []), ("DEA AB1234563 on file", ["AB1234563"]), ("DEA AB1234567", []),
        ("gave it: RN 3381095", ["RN 3381095"]), ("UDI (01)00884521234560(17)250101", ["(01)00884521234560(17)250101"]), ("UDI (01)00884521234561", []),
    ])
    func registry(_ text: String, _ expected: [String]) {
        #expect(found(RegistryNumberRecognizer(), in: text) == expected)
    }
}

