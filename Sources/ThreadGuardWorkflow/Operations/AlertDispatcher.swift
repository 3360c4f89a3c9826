import Foundation
import Logging
import ThreadGuardHTTP
import ThreadGuardStore

/// What one round of alerting did.
public struct AlertOutcome: Sendable, Equatable {
    public var queued = 0
    public var sent = 0
    public var failed = 0
    public var gaveUp = 0
}

/// Stores the alerts that are due (once per channel and subject) and sends every alert waiting, through the
/// webhook (a JSON POST over libcurl) and e-mail (SMTP over libcurl). A failed send stays pending for the next run;
/// after `maxAttempts` it is dead and `status` shows it.
public struct AlertDispatcher: Sendable {
    public let database: any Store
    public let settings: AlertSettings
    public let failureWindow: TimeInterval
    public let environment: [String: String]
    public let http: any HTTPTransport
    public let mailer: any MailTransport
    public let logger: Logger
    public var maxAttempts = 20

    public init(database: any Store, settings: AlertSettings, failureWindow: TimeInterval, environment: [String: String],
                http: any HTTPTransport, mailer: any MailTransport = CurlMailer(), logger: Logger) {
        self.database = database
        self.settings = settings
        self.failureWindow = failureWindow
        self.environment = environment
        self.http = http
        self.mailer = mailer
        self.logger = logger
    }

    public func run(now: Date = Date()) async throws -> AlertOutcome {
        var outcome = AlertOutcome()
        let channels = settings.channels
        guard !channels.isEmpty else { return outcome }
        let due = AlertPlanner(settings: settings, failureWindow: failureWindow)
            .due(snapshot: try database.operationsSnapshot(), sources: try database.sourceRecords(), now: now)
        var alerts: [NewAlert] = []
        for channel in channels {
            let known = try database.alertedSubjects(channel: channel)
            for (subject, message) in due where !known.contains(subject) {
                alerts.append(NewAlert(channel: channel, subject: subject, kind: message.kind, payload: message.json))
            }
        }
        outcome.queued = try database.enqueueAlerts(alerts, at: now)
        let owner = "alerts-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        let claimed = try database.claimAlerts(owner: owner, limit: 100, staleAfter: 120, at: now)
        for channel in Set(claimed.map(\.channel)).sorted() {
            let batch = claimed.filter { $0.channel == channel }
            let readable = batch.compactMap { alert in AlertMessage.decode(alert.payload).map { (id: alert.id, message: $0) } }
            let error = readable.isEmpty ? "the stored alerts cannot be read" : await send(AlertDigest(messages: readable), channel: channel)
            for alert in batch {
                try database.finishAlert(id: alert.id, owner: owner, error: error, maxAttempts: maxAttempts)
                if error == nil { outcome.sent += 1 } else {
                    outcome.failed += 1
                    if alert.attempts >= maxAttempts { outcome.gaveUp += 1 }
                }
            }
            if let error {
                logger.warning("alerts not sent", metadata: ["alert.channel": "\(channel)", "alerts": "\(batch.count)", "error": "\(error)"])
            } else {
                logger.info("alerts sent", metadata: ["alert.channel": "\(channel)", "alerts": "\(batch.count)"])
            }
        }
        return outcome
    }

    /// Sends one channel's digest; nil when it went, else why not (host and status only, never the URL's path or query).
    func send(_ digest: AlertDigest, channel: String) async -> String? {
        switch channel {
        case "webhook":
            guard let hook = settings.webhook else { return "no webhook is configured any more" }
            guard let url = hook.resolvedURL(environment: environment) else { return "the webhook URL variable \(hook.urlEnv ?? "") is not set" }
            let key = "threadguard-\(database.databaseID)-" + digest.messages.map { "\($0.id)" }.joined(separator: "-")
            let request = OutgoingRequest(method: "POST", url: url, headers: [("Content-Type", "application/json"), ("Idempotency-Key", key)],
                                          body: digest.webhookBody(format: hook.format))
            do {
                let response = try await http.send(request)
                return (200..<300).contains(response.status) ? nil : "the webhook at \(request.hostForMessages) answered HTTP \(response.status)"
            } catch {
                return "\(error)"
            }
        case "email":
            guard let mail = settings.email else { return "no e-mail channel is configured any more" }
            let server = MailServer(url: mail.server, username: mail.usernameEnv.flatMap { environment[$0] },
                                    password: mail.passwordEnv.flatMap { environment[$0] }, requireTLS: mail.startTLS)
            do {
                try await mailer.send(from: mail.from, to: mail.to, message: digest.mail(from: mail.from, to: mail.to, databaseID: database.databaseID),
                                      via: server)
                return nil
            } catch {
                return "\(error)"
            }
        default:
            return "unknown channel \(channel)"
        }
    }
}
