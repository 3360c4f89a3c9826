import Foundation
import Testing

/// The local SMTP server (Debian's python3-aiosmtpd) and webhook receiver of `Tests/support/alert_receivers.py`, on
/// 127.0.0.1 with ports the kernel picked. nil (and a printed "skipped") where aiosmtpd is missing, unless
/// THREADGUARD_REQUIRE_SMTP=1 (CI) makes that a failure.
final class AlertReceivers {
    let process: Process
    let input: Pipe
    let folder: String
    let smtpPort: Int
    let httpPort: Int

    static func start() throws -> AlertReceivers? {
        let python = "/usr/bin/python3"
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: python)
        probe.arguments = ["-c", "import aiosmtpd"]
        probe.standardError = FileHandle.nullDevice
        if FileManager.default.isExecutableFile(atPath: python) { try probe.run(); probe.waitUntilExit() }
        guard FileManager.default.isExecutableFile(atPath: python), probe.terminationStatus == 0 else {
            if ProcessInfo.processInfo.environment["THREADGUARD_REQUIRE_SMTP"] == "1" {
                Issue.record("python3-aiosmtpd is required here (THREADGUARD_REQUIRE_SMTP=1)")
            } else {
                print("skipped: no python3-aiosmtpd on this machine for the local SMTP server (CI installs it)")
            }
            return nil
        }
        let folder = try scratchFolder("receivers")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [RepoFolders.root + "/Tests/support/alert_receivers.py", folder]
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        var ports: [String: Int] = [:]
        var buffer = Data()
        while ports.count < 2 {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            buffer.append(chunk)
            for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let port = Int(parts[1]) { ports[String(parts[0])] = port }
            }
        }
        guard let smtp = ports["smtp"], let http = ports["http"] else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the alert receivers did not start"])
        }
        return AlertReceivers(process: process, input: input, folder: folder, smtpPort: smtp, httpPort: http)
    }

    private init(process: Process, input: Pipe, folder: String, smtpPort: Int, httpPort: Int) {
        self.process = process
        self.input = input
        self.folder = folder
        self.smtpPort = smtpPort
        self.httpPort = httpPort
    }

    /// The received files of one kind ("mail" or "hook"), in arrival order.
    func received(_ kind: String) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasPrefix(kind + "-") && !$0.hasSuffix(".tmp") }
            .sorted { Int($0.split(separator: "-")[1].split(separator: ".")[0]) ?? 0 < Int($1.split(separator: "-")[1].split(separator: ".")[0]) ?? 0 }
        return names.compactMap { try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}
