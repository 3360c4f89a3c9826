import Foundation
import GRDB
import Testing
@testable import ThreadGuardStore

@Suite("stored dates")
struct StoredDateTests {
    /// The hand-written text form must be GRDB's own, so rows stored either way compare and read back alike.
    @Test("the fast date text equals GRDB's and reads back to the same millisecond", arguments: [
        0.0, 1.0, 0.9999, 59.5, 86_399.999, 951_782_400.123, 1_764_201_600.5, 1_795_737_599.001, 4_102_444_800.0,
        -1.5, -86_400.25, 253_402_300_799.0,
    ])
    func sameAsGRDB(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(StoredDate.value(date) == date.databaseValue)
        let back = Date.fromDatabaseValue(StoredDate.value(date))!
        #expect(abs(back.timeIntervalSince1970 - seconds) < 0.001)
    }

    @Test("20,000 random dates, before and after 1970, agree with GRDB")
    func randomDates() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...4_000_000_000, using: &generator))
            #expect(StoredDate.value(date) == date.databaseValue, "\(date.timeIntervalSince1970)")
        }
    }
}
