import ArgumentParser
import Foundation
import ThreadGuardHTTP
import ThreadGuardLearn
import ThreadGuardPolicy
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow
import ThreadGuardYAML

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the review page: the flagged queue, items, the dashboard and user administration.",
        discussion: "Add people first with `threadguard user add`. Actions people approve go out through the configured sources at once.")

    @Option(help: "The configuration file.")
    var config: String = "threadguard.yaml"

    @Option(help: "Address to listen on (keep 127.0.0.1 behind a TLS-terminating proxy).")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port takes 0 to 65535") }
    }

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let logger = global.makeLogger("threadguard.serve")
        let appConfig: AppConfig
        let judge: Judge
        do {
            appConfig = try AppConfig.load(file: config)
            let made = try appConfig.makeJudge()
            judge = made.judge
            for warning in made.warnings { FileHandle.standardError.write(Data("threadguard: \(warning)\n".utf8)) }
        } catch let error as YAMLIssues {
            FileHandle.standardError.write(Data("threadguard: invalid configuration:\n\(error)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        } catch let problem as ModelFile.Problem {
            FileHandle.standardError.write(Data("threadguard: \(problem)\n".utf8))
            throw ExitCode(ExitCodes.configError)
        }
        let database = try appConfig.openStore()
        if try database.users().isEmpty {
            FileHandle.standardError.write(Data("threadguard: no users yet; add one with `threadguard user add NAME --role admin --config \(config)`\n".utf8))
        }
        do {
            try await serveReviewPage(config: appConfig, database: database, judge: judge, environment: ProcessInfo.processInfo.environment,
                                      host: host, port: port, logger: logger) { "ThreadGuard review page at \($0)" }
        } catch let error as ReviewServerError {
            FileHandle.standardError.write(Data("threadguard: \(error)\n".utf8))
            throw ExitCode(ExitCodes.unavailable)
        }
    }
}
