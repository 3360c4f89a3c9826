import Foundation
import Testing
import ThreadGuardCore
@testable import ThreadGuardStore

/// Runs SQL through the sqlite3 shell, as someone tampering with the file would.
func sqlite3(_ path: String, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    // Waits for a lock a closed store's background checkpoint may still hold, rather than failing at once.
    process.arguments = ["-cmd", ".timeout 5000", path, sql]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "sqlite3 failed on: \(sql)")
}

@Suite("audit hash chain", .serialized)
struct AuditChainTests {
    func logWithEntries(_ count: Int) throws -> (ThreadGuardDatabase, String) {
        let db = try temporaryDatabase()
        for n in 0..<count {
            try db.appendAudit(AuditEntry(at: Date(), actor: n % 2 == 0 ? "system" : "dana", event: "hide", itemID: Int64(n),
                                          ruleIDs: ["phi.third-party"], before: "pending", after: "done"))
        }
        return (db, db.path)
    }

    static let dropTriggers = "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"

    @Test("an untouched log verifies")
    func intact() throws {
        let (db, _) = try logWithEntries(6)
        let result = try db.verifyAudit()
        #expect(result.isIntact)
        #expect(result.rows == 6)
    }

    @Test("a single edited row is found and named")
    func edited() throws {
        let (db, path) = try logWithEntries(6)
        try sqlite3(path, Self.dropTriggers + " UPDATE audit SET actor = 'mallory' WHERE id = 4;")
        #expect(try db.verifyAudit().problem == "audit row 4: its content does not match its keyed hash (edited)")
    }

    @Test("a deleted row is found and named")
    func deleted() throws {
        let (db, path) = try logWithEntries(6)
        try sqlite3(path, Self.dropTriggers + " DELETE FROM audit WHERE id = 3;")
        #expect(try db.verifyAudit().problem == "audit row 4 follows row 2: row 3 is missing (deleted)")
    }

    @Test("two rows swapped are found, naming the first")
    func swapped() throws {
        let (db, path) = try logWithEntries(6)
        // Swap the contents of rows 2 and 5 (ids stay in order, so the rows appear reordered).
        try sqlite3(path, Self.dropTriggers + """
             UPDATE audit SET id = -2 WHERE id = 2; UPDATE audit SET id = 2 WHERE id = 5; UPDATE audit SET id = 5 WHERE id = -2;
            """)
        let problem = try #require(try db.verifyAudit().problem)
        #expect(problem.hasPrefix("audit row 2:"))
    }

    @Test("an edited hash that is recomputed still breaks the link of the next row")
    func rehashed() throws {
        let (db, path) = try logWithEntries(4)
        try sqlite3(path, Self.dropTriggers + " UPDATE audit SET detail = 'x', hash = 'ffff' WHERE id = 2;")
        #expect(try db.verifyAudit().problem == "audit row 2: its content does not match its keyed hash (edited)")
    }

    @Test("the program's own connection cannot edit or delete")
    func appendOnly() throws {
        let (db, _) = try logWithEntries(2)
        #expect(throws: (any Error).self) { try db.pool.write { try $0.execute(sql: "UPDATE audit SET actor = 'x'") } }
        #expect(try db.verifyAudit().isIntact)
    }
}
