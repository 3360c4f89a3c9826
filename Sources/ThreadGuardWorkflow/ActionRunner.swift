import Foundation
import Logging
import ThreadGuardConnect
import ThreadGuardHTTP
import ThreadGuardStore

/// Carries out pending platform actions outside a poll (after a person approves, hides or unhides in the review
/// page or the CLI), through the configured sources' connectors.
public struct ActionRunner: Sendable {
    public let config: AppConfig
    public let environment: [String: String]
    public let http: any HTTPTransport
    public let logger: Logger

    public init(config: AppConfig, environment: [String: String], http: any HTTPTransport, logger: Logger) {
        self.config = config
        self.environment = environment
        self.http = http
        self.logger = logger
    }

    /// Returns how many actions completed and how many gave up.
    @discardableResult
    public func run() async -> (done: Int, dead: Int) {
        do {
            // A source without a connector (no token) keeps its actions pending for the next poll, which reports it.
            let connectors = try ConnectorRegistry(directory: config.connectors)
                .connectors(for: config.sources, http: http, environment: environment, logger: logger).connectors
            let database = try ThreadGuardDatabase(path: config.database)
            let (done, dead) = try await Executor(database: database, logger: logger).run(connectors: connectors)
            return (done.values.reduce(0, +), dead)
        } catch {
            logger.warning("pending actions could not be run", metadata: ["error": "\(type(of: error))"])
            return (0, 0)
        }
    }
}
