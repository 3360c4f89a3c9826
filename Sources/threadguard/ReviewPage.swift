import Foundation
import Logging
import ThreadGuardHTTP
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow

/// Serves the review page on a configuration's database until the process ends (`serve`, `demo --serve`); what
/// people approve, hide or unhide goes out at once through the configuration's sources, by the process's one
/// action runner on the process's one database. `announce` turns the page's address into the line printed for the
/// person who started it.
func serveReviewPage(config: AppConfig, database: ThreadGuardDatabase, judge: Judge, environment: [String: String], host: String,
                     port: Int, logger: Logger, announce: (String) -> String) async throws {
    let http = CurlHTTPClient()
    defer { http.shutdown() }
    let runner = ActionRunner(config: config, database: database, environment: environment, http: http, logger: logger,
                              checkReply: { text, item in judge.checkReply(text, item: item, database: database) })
    let app = ReviewApp(database: database, judge: judge, runActions: { await runner.run() }, logger: logger)
    let server = try await ReviewServer.start(app: app, host: host, port: port, logger: logger)
    print(announce(server.baseURL))
    fflush(nil)
    await server.wait()
}

/// Carries out what a person just approved, through the configured sources, with the reply guard reading every
/// reply before it leaves.
func sendNow(_ config: AppConfig, database: ThreadGuardDatabase, judge: Judge, logger: Logger) async -> (done: Int, dead: Int) {
    let http = CurlHTTPClient()
    defer { http.shutdown() }
    let runner = ActionRunner(config: config, database: database, environment: ProcessInfo.processInfo.environment, http: http, logger: logger,
                              checkReply: { text, item in judge.checkReply(text, item: item, database: database) })
    return await runner.run()
}
