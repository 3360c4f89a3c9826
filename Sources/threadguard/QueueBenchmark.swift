import ArgumentParser
import Foundation
import HummingbirdBcrypt
import Logging
import ThreadGuardCore
import ThreadGuardHTTP
import ThreadGuardPolicy
import ThreadGuardStore
import ThreadGuardWeb
import ThreadGuardWorkflow

/// `threadguard bench queue`: the queue page under load. Seeds a database with N flagged comments (judged by the
/// shipped policies), serves the review page on 127.0.0.1, signs in, and runs `wrk` (Debian's package) against the
/// first queue page (grouped), a filtered page 40 and two searches, reporting p50 and p95 render times.
struct QueueBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Queue page render times under load (wrk on loopback) with N queued items.")

    @Option(help: "Queued items to seed.") var items: Int = 10_000
    @Option(help: "Seconds per wrk run.") var seconds: Int = 10
    @Option(help: "Concurrent connections.") var connections: Int = 8
    @Option(help: "Folder for the benchmark database.") var workdir: String?

    func run() async throws {
        let folder = workdir ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("threadguard-queue-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/bench.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let database = try ThreadGuardDatabase(path: path)
        let policies = try PolicyLoader.load(directory: ShippedFolders.locate("Policies"))
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        _ = try seed(database, policies: policies, logger: logger)
        try database.addUser(name: "bench", passwordHash: Bcrypt.hash("bench-password-1", cost: 10), role: "lead", actor: "cli:bench")
        let app = ReviewApp(database: database, judge: Judge(policies: policies), runActions: nil, logger: logger)
        let server = try await ReviewServer.start(app: app, logger: logger)
        let cookie = try await signIn(server.baseURL)
        for (label, path) in [("queue, first page (grouped)", "/queue"), ("queue, filtered and sorted, page 40", "/queue?status=open&platform=facebook&sort=newest&page=40"),
                              ("queue, search for a word", "/queue?status=all&q=pacemaker"), ("queue, search, page 40", "/queue?status=all&q=pump&page=40")] {
            guard let result = try wrk(server.baseURL + path, cookie: cookie) else {
                print("wrk is not installed: apt-get install -y wrk")
                break
            }
            print("\(label): \(result)")
        }
        await server.stop()
    }

    /// Generated comments of the demo's kinds across platforms and ages, judged and queued in batches.
    func seed(_ database: ThreadGuardDatabase, policies: PolicySet, logger: Logger) throws -> Int {
        let texts = [
            "My mom's MRN is 00%d and her pump stopped working last night",
            "Call me at 614-555-%04d, my husband's pacemaker reading looks wrong",
            "The residents at Maple Grove Manor love these monitors",
            "Earn $500 a day from home, link in bio!!",
            "I was charged twice for order #%d and nobody answers",
            "some nights I think everyone would be better off without me",
            "my CPAP gave me a rash on my nose, is that normal?",
        ]
        let platforms = Platform.allCases
        var count = 0
        for source in platforms { try database.registerSource(name: source.rawValue, connector: source.rawValue, account: "bench") }
        while count < items {
            var batch: [Platform: [Item]] = [:]
            for n in count..<min(items, count + 500) {
                let platform = platforms[n % platforms.count]
                // Mostly comments of their own (a number makes each text unique); one in ten part of a campaign posted
                // six times (one group of six).
                let template = texts[n % texts.count]
                let text = n % 10 == 0 ? "Campaign \(n / 60): stop using these monitors, they leak your data to insurers"
                    : (template.contains("%") ? String(format: template, 100_000 + n, n % 10_000) : template + " (\(n))")
                batch[platform, default: []].append(Item(
                    platform: platform, platformID: "bench-\(n)", kind: .comment, sourceName: platform.rawValue, threadRootID: "post-\(n % 50)",
                    parentID: "post-\(n % 50)", authorID: "u\(n)", authorName: "User \(n)", text: text,
                    createdAt: Date().addingTimeInterval(-Double(n % 720) * 3600), fetchedAt: Date(), permalink: nil))
            }
            for (platform, list) in batch { try database.storePage(source: platform.rawValue, stream: "bench", items: list, cursor: nil) }
            count = min(items, count + 500)
        }
        _ = try Decider(database: database, judge: Judge(policies: policies), logger: logger).decidePending()
        var filter = QueueFilter()
        filter.status = nil
        filter.grouped = false
        let items = try database.queue(filter).total
        filter.grouped = true
        print("seeded \(items) queued items (\(try database.queue(filter).total) rows with near-identical comments grouped)")
        return items
    }

    func signIn(_ base: String) async throws -> String {
        let client = CurlHTTPClient()
        defer { client.shutdown() }
        let form = try await client.send(OutgoingRequest(url: base + "/login"))
        let page = String(decoding: form.body, as: UTF8.self)
        let csrf = page.range(of: "name=\"csrf\" value=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
        let login = form.headers.first { $0.name.lowercased() == "set-cookie" }?.value.split(separator: ";").first.map(String.init) ?? ""
        let response = try await client.send(OutgoingRequest(method: "POST", url: base + "/login", headers: [
            (name: "Cookie", value: login), (name: "Content-Type", value: "application/x-www-form-urlencoded"),
        ], body: Data("csrf=\(csrf)&name=bench&password=bench-password-1".utf8)))
        guard let session = response.headers.first(where: { $0.name.lowercased() == "set-cookie" && $0.value.hasPrefix("tg_session=") }) else {
            throw ValidationError("could not sign in to the benchmark server (HTTP \(response.status))")
        }
        return String(session.value.split(separator: ";")[0])
    }

    /// Runs wrk with a script that reports the 50th and 95th percentiles; nil when wrk is missing.
    func wrk(_ url: String, cookie: String) throws -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else { return nil }
        let script = NSTemporaryDirectory() + "tg-wrk-\(ProcessInfo.processInfo.processIdentifier).lua"
        try """
            wrk.headers["Cookie"] = "\(cookie)"
            done = function(summary, latency, requests)
              io.write(string.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %d requests, %.0f req/s, %d errors\\n",
                latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
                summary.requests, summary.requests / (summary.duration / 1e6),
                summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
            end
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        process.arguments = ["-t\(min(2, max(1, connections)))", "-c\(connections)", "-d\(seconds)s", "-s", script, url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output.split(separator: "\n").last { $0.hasPrefix("p50") }.map(String.init) ?? output
    }
}
