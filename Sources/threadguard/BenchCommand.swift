import ArgumentParser
import Foundation
import ThreadGuardDemo
import ThreadGuardStore
import ThreadGuardWorkflow

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that anyone can rerun (use a release build).",
        subcommands: [Ingest.self, QueueBench.self, WebhookBench.self])

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sandbox pages polled over loopback, stored and analysed: comments/s, requests against the minimum, peak memory.")
        @Option(help: "Sandbox pages (sources).") var sources: Int = 200
        @Option(help: "Comments per page.") var comments: Int = 500
        @Option(help: "Sources polled at once (what `threadguard poll` uses unless told otherwise).")
        var concurrency: Int = Poller.defaultConcurrentSources
        @Option(help: "Folder for the benchmark database (kept afterwards). Without it, a temporary folder that is removed.")
        var workdir: String?
        @Option(help: ArgumentHelp("A PostgreSQL database the benchmark may empty (postgres://USER@HOST[:PORT]/DATABASE; the password in $THREADGUARD_BENCH_POSTGRES_PASSWORD), instead of a SQLite file.", valueName: "address"))
        var postgres: String?
        @Option(help: "Pollers sharing the PostgreSQL database, each leasing sources and deciding what it polled.")
        var pollers: Int = 1

        func validate() throws {
            if pollers < 1 || pollers > 64 { throw ValidationError("--pollers takes 1 to 64") }
            if pollers > 1, postgres == nil { throw ValidationError("--pollers above 1 needs --postgres: one SQLite file is polled by one poller at a time") }
        }

        func run() async throws {
            let folder = workdir ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("threadguard-bench-\(ProcessInfo.processInfo.processIdentifier)")
            defer { if workdir == nil { try? FileManager.default.removeItem(atPath: folder) } }
            let result = try await IngestBenchmark(
                sources: sources, commentsPerSource: comments, policies: ShippedFolders.locate("Policies"),
                connectors: ShippedFolders.locate("Connectors"), workdir: folder, concurrentSources: concurrency,
                postgres: try postgres.map { try PostgresLocation.parse($0, passwordEnv: "THREADGUARD_BENCH_POSTGRES_PASSWORD",
                                                                      environment: ProcessInfo.processInfo.environment) },
                pollers: pollers).run()
            print("store \(postgres == nil ? "SQLite" : "PostgreSQL"), pollers \(pollers)")
            print("sources \(result.sources), comments \(result.comments), stored \(result.stored), decided \(result.decided)")
            print(String(format: "poll %.2f s (deciding alongside) + the rest of deciding %.2f s = %.0f comments/s from poll to stored and analysed",
                         result.pollSeconds, result.decideSeconds, result.commentsPerSecond))
            print("requests \(result.requests), minimum \(result.minimumRequests) (\(result.requests == result.minimumRequests ? "equal" : "above the minimum"))")
            print(String(format: "peak RSS %.1f MiB", result.peakRSSMiB))
        }
    }
}
