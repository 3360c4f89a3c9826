import Foundation

/// What polling needs from a store. The SQLite store (`ThreadGuardDatabase`) and the PostgreSQL store
/// (`PostgresStore`) both provide it, so one `Poller` fills either.
public protocol PollStore: Sendable {
    func registerSource(name: String, connector: String, account: String) async throws
    func cursor(source: String, stream: String) async throws -> String?
    /// Stores a page of items and the cursor that covers them together; the ids of the new items.
    func storePage(source: String, stream: String, items: [Item], cursor: String?, at now: Date) async throws -> [Int64]
    func recordPollOutcome(source: String, error: String?, kind: String?, needsToken: Bool, apiBudget: String?, at now: Date) async throws
}
