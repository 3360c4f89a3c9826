import Foundation
import Logging

/// Collects every log line (message and metadata) in memory, for PHI-hygiene checks.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var all: [String] { lock.withLock { lines } }

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    func logger(_ label: String = "test") -> Logger {
        var logger = Logger(label: label, factory: { _ in CaptureHandler(capture: self) })
        logger.logLevel = .trace
        return logger
    }
}

struct CaptureHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let merged = self.metadata.merging(metadata ?? [:]) { $1 }
        capture.append("\(level) \(message) \(merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))")
    }
}
