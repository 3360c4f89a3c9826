import Foundation
import Logging
import ThreadGuardStore

/// Receives Meta's webhooks for `serve`: answers the handshake, refuses a delivery whose signature is not the app
/// secret's (counted, nothing stored), stores the comments of a good one exactly as polling would (a comment polling
/// already stored, or a retried delivery, is not stored twice), and tells the caller to judge and act at once.
/// Polling stays the reconciler for anything a webhook missed.
public struct MetaWebhookIntake: Sendable {
    public let config: AppConfig
    public let database: any Store
    public let environment: [String: String]
    public let logger: Logger
    /// Bodies larger than this are refused (Meta's are a few kilobytes).
    public static let maxBody = 1 << 20

    public enum Outcome: Equatable, Sendable {
        case stored(new: Int)
        case forged
        case malformed
        case notConfigured
    }

    public init(config: AppConfig, database: any Store, environment: [String: String], logger: Logger) {
        self.config = config
        self.database = database
        self.environment = environment
        self.logger = logger
    }

    var secret: String? { config.webhooks.meta.flatMap { environment[$0.appSecretEnv] }.flatMap { $0.isEmpty ? nil : $0 } }

    public func handshake(mode: String?, token: String?, challenge: String?) -> String? {
        guard let expected = config.webhooks.meta.flatMap({ environment[$0.verifyTokenEnv] }) else { return nil }
        let answer = MetaWebhook.handshake(mode: mode, token: token, challenge: challenge, expectedToken: expected)
        count(answer == nil ? "handshake_refused" : "handshake")
        return answer
    }

    public func receive(body: Data, signature: String?) async -> Outcome {
        guard let secret else {
            count("not_configured")
            return .notConfigured
        }
        guard MetaWebhook.signatureValid(body: body, header: signature, appSecret: secret) else {
            count("forged")
            logger.warning("webhook refused: its signature is not the app secret's", metadata: ["webhook.bytes": "\(body.count)"])
            return .forged
        }
        let delivery: MetaWebhook.Delivery
        do {
            delivery = try MetaWebhook.parse(body, sources: config.sources)
        } catch {
            count("malformed")
            return .malformed
        }
        var new = 0
        do {
            for (source, items) in delivery.items.sorted(by: { $0.key < $1.key }) {
                // No cursor moves: the webhook says nothing of what polling has read.
                new += try await database.storePage(source: source, stream: "webhook", items: items, cursor: nil).count
            }
        } catch {
            count("store_failed")
            logger.error("webhook could not be stored", metadata: ["error": "\(type(of: error))"])
            return .malformed
        }
        count("accepted")
        if delivery.unknownAccounts > 0 { count("unknown_account", by: delivery.unknownAccounts) }
        let tally = MetricsTally()
        for (source, items) in delivery.items {
            tally.count("threadguard_webhook_comments_total", ["source": source, "outcome": "received"], by: Double(items.count))
        }
        tally.count("threadguard_webhook_comments_total", ["source": "all", "outcome": "new"], by: Double(new))
        try? tally.save(to: database)
        logger.info("webhook stored", metadata: ["items.new": "\(new)"])
        return .stored(new: new)
    }

    func count(_ outcome: String, by amount: Int = 1) {
        let tally = MetricsTally()
        tally.count("threadguard_webhooks_total", ["outcome": outcome], by: Double(amount))
        try? tally.save(to: database)
    }
}
