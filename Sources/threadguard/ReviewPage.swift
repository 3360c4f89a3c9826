import Foundation
import Logging
import Metrics
import Prometheus
import ThreadGuardConnect
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow

/// Serves the review page on a configuration's database until the process ends (`serve`, `demo --serve`); what
/// people approve, hide or unhide goes out at once through the configuration's sources, by the process's one
/// action runner on the process's one database. `announce` turns the page's address into the line printed for the
/// person who started it.
func serveReviewPage(config: AppConfig, database: any Store, judge: Judge, environment: [String: String], host: String,
                     port: Int, logger: Logger, announce: (String) -> String) async throws {
    let http = CurlHTTPClient()
    defer { http.shutdown() }
    let runner = ActionRunner(config: config, database: database, environment: environment, http: http, logger: logger,
                              checkReply: { text, item in judge.checkReply(text, item: item, database: database) })
    // This process's own counters (review actions) through swift-metrics into a swift-prometheus registry; the
    // database's counters (what every poll did) are added to the same text.
    let live = LiveMetrics.registry
    // Meta's webhooks, when configured: stored at once, judged and acted on at once.
    let webhooks = WebhookHandling.make(config: config, database: database, judge: judge, environment: environment, logger: logger,
                                        runActions: { await runner.run() })
    let app = ReviewApp(database: database, judge: judge, runActions: { await runner.run() }, logger: logger,
                        metricsText: { live.emitToString() + (try MetricsExposition.render(config: config, database: database)) },
                        webhooks: webhooks, settings: config.review,
                        containment: ReviewContainment.fromManifests(config.connectors))
    let server = try await ReviewServer.start(app: app, host: host, port: port, logger: logger)
    print(announce(server.baseURL))
    fflush(nil)
    await server.wait()
}

/// What each platform's moderation actions achieve, from the connector manifests the configuration uses.
enum ReviewContainment {
    static func fromManifests(_ directory: String) -> [String: [ActionKind: Containment]] {
        guard let registry = try? ConnectorRegistry(directory: directory) else { return [:] }
        var byPlatform: [String: [ActionKind: Containment]] = [:]
        for manifest in registry.manifests.values where !manifest.containment.isEmpty {
            byPlatform[manifest.platform.rawValue, default: [:]].merge(manifest.containment) { first, _ in first }
        }
        return byPlatform
    }
}

/// The serving process's swift-metrics backend, bootstrapped once.
enum LiveMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

/// Carries out what a person just approved, through the configured sources, with the reply guard reading every
/// reply before it leaves.
func sendNow(_ config: AppConfig, database: any Store, judge: Judge, logger: Logger) async -> (done: Int, dead: Int) {
    let http = CurlHTTPClient()
    defer { http.shutdown() }
    let runner = ActionRunner(config: config, database: database, environment: ProcessInfo.processInfo.environment, http: http, logger: logger,
                              checkReply: { text, item in judge.checkReply(text, item: item, database: database) })
    return await runner.run()
}
