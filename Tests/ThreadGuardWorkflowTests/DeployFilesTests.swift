import Foundation
import Testing

/// The files in deploy/ must work as shipped: systemd accepts the units, and every threadguard command they (and the
/// crontab) run exists with the options they give it.
@Suite("deploy files")
struct DeployFilesTests {
    static let deploy = RepoFolders.root + "/deploy"

    static func units() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: deploy).filter { $0.hasSuffix(".service") || $0.hasSuffix(".timer") }.sorted()
    }

    /// Runs systemd-analyze verify on copies of the units with the binary's path replaced; its status and output.
    static func verify(binary: String) throws -> (Int32, String) {
        let folder = try scratchFolder("units")
        for unit in try units() {
            let text = try String(contentsOfFile: deploy + "/" + unit, encoding: .utf8)
            try text.replacingOccurrences(of: "/usr/local/bin/threadguard", with: binary).write(toFile: folder + "/" + unit, atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        process.arguments = ["verify"] + (try units()).map { folder + "/" + $0 }
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test("systemd-analyze verify accepts every unit (and rejects one whose program is missing)")
    func unitsVerify() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") else {
            if ProcessInfo.processInfo.environment["THREADGUARD_REQUIRE_SYSTEMD"] == "1" {
                Issue.record("systemd-analyze is required here (THREADGUARD_REQUIRE_SYSTEMD=1)")
            } else {
                print("skipped: no systemd-analyze on this machine (CI installs systemd)")
            }
            return
        }
        #expect(try Self.units().count >= 6)
        let (code, output) = try Self.verify(binary: try threadguardBinary())
        #expect(code == 0 && output.isEmpty, "\(output)")
        let (broken, brokenOutput) = try Self.verify(binary: "/nonexistent/threadguard")
        #expect(broken != 0 || !brokenOutput.isEmpty, "the check can fail")
    }

    @Test("every threadguard command in the units and the crontab exists with the options it is given")
    func commandsExist() async throws {
        var lines: [String] = []
        for file in try Self.units() + ["crontab"] {
            lines += try String(contentsOfFile: Self.deploy + "/" + file, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        }
        var checked = 0
        for line in lines {
            var rest = line[...]
            while let range = rest.range(of: "threadguard ") {
                let words = rest[range.upperBound...].split(separator: " ").map(String.init)
                rest = rest[range.upperBound...]
                guard let command = words.first, command.first?.isLetter == true, !command.contains("."), !command.contains("/") else { continue }
                let options = words.dropFirst().prefix { !["&&", "||", ">/dev/null", "|"].contains($0) && !$0.hasPrefix(">") }.filter { $0.hasPrefix("--") }
                let (code, help, _) = try await runThreadguard([command, "--help"])
                #expect(code == 0, "threadguard \(command) does not exist (\(line))")
                for option in options { #expect(help.contains(option), "threadguard \(command) has no \(option) (\(line))") }
                checked += 1
            }
        }
        #expect(checked >= 8, "\(checked) invocations found")
    }
}
