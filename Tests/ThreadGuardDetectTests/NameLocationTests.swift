import Testing
import ThreadGuardCore
@testable import ThreadGuardDetect

@Suite("names and places")
struct NameLocationTests {
    @Test("names after cues, sign-offs, and given name + surname", arguments: [
        ("sleep study with Dr. Lionel Ashworth at the center", ["Lionel Ashworth"]), ("My aunt Dolores Fitch is 96", ["Dolores Fitch"]),
        ("mi esposo Héctor Villanueva fecha", ["Héctor Villanueva"]), ("shoutout to nurse Kayla at the desk", ["Kayla"]),
        ("Please call me. Thank you, Wilma Ostrowski", ["Wilma Ostrowski"]), ("text me at 555-013-8841 — Mike", ["Mike"]),
        ("My neighbor Ruth Abernathy lost her husband", ["Ruth Abernathy"]), ("Linda Okoro answered", ["Linda Okoro"]),
        ("Grandpa Leo turned 98 today", ["Leo"]), ("receptionist Brenda at the desk", ["Brenda"]),
    ])
    func names(_ text: String, _ expected: [String]) {
        #expect(classified(.name, in: text) == expected)
    }

    @Test("not names: public figures, roles, the brand's products, common words", arguments: [
        "Dr. Oz says so", "Saw your CEO Martin Greaves on TV", "a horse named BreatheRight won", "Honestly the same every day",
        "Florence Nightingale would be proud", "My mom loved it", "Thank you so much!", "God bless", "Mr. Rogers' neighborhood",
    ])
    func notNames(_ text: String) {
        #expect(classified(.name, in: text).isEmpty)
    }

    @Test("places tied to someone", arguments: [
        ("The seniors at Mossy Hills Home loved it", ["Mossy Hills Home"]), ("She lives at 418 Wren Hollow Dr, not there", ["418 Wren Hollow Dr"]),
        ("lives alone in Parma Heights) and", ["Parma Heights"]), ("New address is 2290 Sycamore Bend Rd, Grove City 43123.", ["2290 Sycamore Bend Rd", "Grove City", "43123"]),
        ("my mom was admitted to 4 West on Monday", ["4 West"]), ("please come to room 12.", ["room 12"]),
        ("my dad had his bypass at St. Agnes Northside last week", ["St. Agnes Northside"]),
        ("Our twins were in the NICU at Northside for 41 days", ["Northside"]),
    ])
    func places(_ text: String, _ expected: [String]) {
        #expect(classified(.location, in: text) == expected)
    }

    @Test("not places: the brand itself, sites named in passing, homes in general", arguments: [
        "St. Agnes Pharmacy gave me the wrong pills", "Riverside ER vs Northside ER charity basketball game", "I love being home",
        "Home sweet home", "the Riverside pharmacy team is lovely", "Acme Health is hiring",
    ])
    func notPlaces(_ text: String) {
        #expect(classified(.location, in: text).isEmpty)
    }
}

@Suite("dates and ages")
struct DateAgeTests {
    @Test("dates tied to birth or a health event", arguments: [
        ("date of birth 04/17/1938. She had", ["04/17/1938"]), ("Had my stent put in on August 14 and", ["August 14"]),
        ("fecha de nacimiento 3 de mayo de 1956, número", ["3 de mayo de 1956"]), ("admitted on 11/2 with pneumonia and discharged 11/6", ["11/2", "11/6"]),
        ("My partner's surgery is the 12th and", ["the 12th"]), ("DOB 07.22.1941) got", ["07.22.1941"]),
        ("he died on the 9th of June from", ["the 9th of June"]), ("DOB 1988-05-09 and approved", ["1988-05-09"]),
        ("admitted on Tuesday, Feb 11 with dehydration", ["Tuesday, Feb 11"]),
    ])
    func dates(_ text: String, _ expected: [String]) {
        #expect(classified(.date, in: text) == expected)
    }

    @Test("not dates: years, months alone, ratings, prices, weekdays, unrelated days", arguments: [
        "since 2019 I have used it", "back in March it broke", "10/10 would recommend", "it was $12/15 each", "see you Monday",
        "the sale ends May 3", "version 3/4 of the app", "firmware 2021-10-3a-77 on the pump",
    ])
    func notDates(_ text: String) {
        #expect(classified(.date, in: text).isEmpty)
    }

    @Test("ages over 89", arguments: [
        ("She's 93. She does not", ["93"]), ("My grandmother (92) was admitted", ["92"]), ("Grandpa Leo turned 98 today", ["98"]),
        ("Mi abuela de 94 años tiene", ["94"]), ("Happy 100th birthday to her", ["100th"]), ("tiene noventa y nueve años", ["noventa y nueve"]),
        ("How does a 92 year old get", ["92"]),
    ])
    func ages(_ text: String, _ expected: [String]) {
        #expect(classified(.age90Plus, in: text) == expected)
    }

    @Test("not ages: measurements, money, younger people", arguments: [
        "my o2 is 92 on room air", "temp was 99 degrees", "paid $95 for it", "she is 89", "score 98 out of 100", "BP 96 over 60",
    ])
    func notAges(_ text: String) {
        #expect(classified(.age90Plus, in: text).isEmpty)
    }
}

/// The location recognizer passes over tokens no match can start at (`mayStart`): it must never pass over one
/// where `match` finds a place.
@Suite("location starts")
struct LocationStartTests {
    @Test("wherever a place matches, the token may start one, on 4,000 generated texts")
    func gateIsExact() {
        let recognizer = LocationRecognizer(lexicons: DetectLexicons.shared, brandNames: testBrand.names)
        let parts = ["room", "Room", "12", "4", "West", "bed", "lives", "in", "Parma", "Heights", "moved", "to", "riverside", "ER",
                     "Northside", "cardiology", "st", "St.", ".", "Mary", "saint", "Brigid", "Hospital", "Home", "at", "the", "my",
                     "mom", "out", "of", "Oak", "Manor", "nursing", "home", ",", "43123", "Ohio", "ICU", "pharmacy", "Main", "Street",
                     "vive", "en", "Madrid", "habitación", "3", "neighbor", "Ruth", "is", "care", "surgery", "the", "an", "Acme"]
        var generator = SplitMix(seed: 5)
        var matched = 0
        for _ in 0..<4_000 {
            let text = AnalysedText((0..<(3 + Int(generator.next() % 12))).map { _ in parts[Int(generator.next() % UInt64(parts.count))] }.joined(separator: " "))
            var care: Bool?
            for i in text.tokens.indices where recognizer.match(at: i, text.tokens, text, care: &care) != nil {
                matched += 1
                #expect(recognizer.mayStart(at: i, text.tokens), "\(text.text.original) at \(i)")
            }
        }
        #expect(matched > 1_000)
    }
}
