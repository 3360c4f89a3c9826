import Foundation

/// Sources leased to one poller at a time, for a store many pollers share (PostgreSQL). A lease runs out when its
/// holder stops renewing it (its process died), and another poller takes the source.
public protocol SourceLeases: Sendable {
    /// The database server's clock (a pass starts by it, so pollers whose clocks differ agree).
    func serverNow() async throws -> Date
    func leaseSource(owner: String, seconds: Int, notPolledSince: Date, among: [String]?) async throws -> String?
    func renewLease(_ source: String, owner: String, seconds: Int) async throws -> Bool
    func releaseSource(_ source: String, owner: String, polled: Bool) async throws -> Bool
}

extension PostgresStore: SourceLeases {}
