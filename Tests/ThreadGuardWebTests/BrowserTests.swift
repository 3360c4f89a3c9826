import Foundation
import Testing

/// The review page in a real browser: `Tests/browser/review_page_test.py` drives Debian's chromium through
/// chromium-driver and selenium against `threadguard demo --serve`. CI installs them (`.ci/run`) and sets
/// THREADGUARD_REQUIRE_BROWSER=1, so there a missing browser is a failure; elsewhere the test says it skipped.
enum Browser {
    static let python = "/usr/bin/python3"
    static let needed = ["/usr/bin/chromium", "/usr/bin/chromedriver", python]

    static var available: Bool {
        guard needed.allSatisfy(FileManager.default.isExecutableFile(atPath:)) else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: python)
        probe.arguments = ["-c", "import selenium"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }

    static var required: Bool { ProcessInfo.processInfo.environment["THREADGUARD_REQUIRE_BROWSER"] == "1" }
}

/// The `threadguard` binary of this build.
func builtBinary() throws -> String {
    let root = Repo.root
    let candidates = [root + "/.build/debug/threadguard", root + "/.build/x86_64-unknown-linux-gnu/debug/threadguard"]
    if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
    let build = Process()
    build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    build.arguments = ["swift", "build", "--product", "threadguard"]
    build.currentDirectoryURL = URL(fileURLWithPath: root)
    try build.run()
    build.waitUntilExit()
    return try #require(candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }))
}

/// Runs one of the browser scripts against the built binary; every FAIL line it prints is a failure here.
func runBrowserScript(_ script: String, screenshots: Bool) async throws {
    guard Browser.available else {
        if Browser.required {
            Issue.record("chromium, chromium-driver and python3-selenium are required here (THREADGUARD_REQUIRE_BROWSER=1)")
        } else {
            print("skipped: no chromium / chromium-driver / python3-selenium on this machine (CI installs them)")
        }
        return
    }
    let binary = try builtBinary()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Browser.python)
    var arguments = [Repo.root + "/Tests/browser/" + script, binary]
    // THREADGUARD_SCREENSHOTS=docs/screenshots refreshes the screenshots the docs show.
    if screenshots, let shots = ProcessInfo.processInfo.environment["THREADGUARD_SCREENSHOTS"] {
        arguments += ["--screenshots", shots.hasPrefix("/") ? shots : Repo.root + "/" + shots]
    }
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    // Read while it runs (a full pipe would stall it) on a thread of its own: a blocked thread of Swift's shared pool
    // (two on this machine) for the minute a browser script takes would stall every other test meanwhile.
    let handle = output.fileHandleForReading
    let data: Data = await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: handle.readDataToEndOfFile()) }.start()
    }
    while process.isRunning { try await Task.sleep(nanoseconds: 100_000_000) }
    let text = String(decoding: data, as: UTF8.self)
    let failed = text.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
    #expect(process.terminationStatus == 0, "browser checks failed:\n\(failed.joined(separator: "\n"))\n\(text.suffix(2000))")
    #expect(text.contains("all browser checks passed"))
}

@Suite("the review page in a real browser", .serialized)
struct BrowserTests {
    @Test("sign in, work an item to a sent reply, reveal PHI with its audit entry; hostile input inert, CSRF and roles enforced")
    func reviewPage() async throws {
        try await runBrowserScript("review_page_test.py", screenshots: false)
    }

    @Test("the team inbox: a group of six in one action, search, a bulk dismiss of 50, real assignees only, a crisis timer and its breach, the decision above the fold, one identifier revealed, no sideways scroll at 390 px, every key")
    func teamInbox() async throws {
        try await runBrowserScript("team_inbox_test.py", screenshots: true)
    }
}
