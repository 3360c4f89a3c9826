import Foundation
import Hummingbird
import Logging
import ThreadGuardStore
import ThreadGuardWorkflow

/// What `serve` needs to take Meta's webhooks: the intake, and what to run once new comments are stored (judge them
/// and carry out the actions at once).
public struct WebhookHandling: Sendable {
    public let intake: MetaWebhookIntake
    public let process: @Sendable () async -> Void

    public init(intake: MetaWebhookIntake, process: @escaping @Sendable () async -> Void) {
        self.intake = intake
        self.process = process
    }

    /// What a configuration's `webhooks:` asks for (nil without it): the intake, and a processor that judges what it
    /// stored and carries out the actions through `runActions`.
    public static func make(config: AppConfig, database: any Store, judge: Judge, environment: [String: String], logger: Logger,
                            runActions: @escaping @Sendable () async -> Void) -> WebhookHandling? {
        guard config.webhooks.meta != nil else { return nil }
        let processor = WebhookProcessor(config: config, database: database, judge: judge, logger: logger, runActions: runActions)
        return WebhookHandling(intake: MetaWebhookIntake(config: config, database: database, environment: environment, logger: logger),
                               process: { await processor.process() })
    }
}

extension ReviewApp {
    /// `GET /webhooks/meta` (the subscription handshake) and `POST /webhooks/meta` (deliveries). No sign-in: Meta
    /// signs each delivery with the app secret, and an unsigned or forged one changes nothing.
    func registerWebhooks(on router: Router<ReviewContext>) {
        guard let webhooks else { return }
        router.get("/webhooks/meta") { request, _ in
            let query = request.uri.queryParameters
            guard let challenge = webhooks.intake.handshake(mode: query.get("hub.mode"), token: query.get("hub.verify_token"),
                                                            challenge: query.get("hub.challenge")) else {
                return Response(status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: "refused\n")))
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: challenge)))
        }
        router.post("/webhooks/meta") { request, _ in
            guard let buffer = try? await request.body.collect(upTo: MetaWebhookIntake.maxBody) else {
                return Response(status: .contentTooLarge, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: "too large\n")))
            }
            let body = Data(buffer: buffer)
            let outcome = await webhooks.intake.receive(body: body, signature: request.headers[values: .init("X-Hub-Signature-256")!].first)
            switch outcome {
            case .stored(let new):
                // Stored before answering (a crash now loses nothing); judged and acted on at once, after the answer.
                if new > 0 { Task { await webhooks.process() } }
                return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: "ok\n")))
            case .forged:
                return Response(status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: "bad signature\n")))
            case .malformed:
                return Response(status: .badRequest, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: "not a webhook delivery\n")))
            case .notConfigured:
                return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: "webhooks are not configured\n")))
            }
        }
    }
}
