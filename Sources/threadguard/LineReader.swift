import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads JSON lines from a file descriptor a megabyte at a time, handing each complete line to the caller: memory
/// holds the line being read, never the whole input. A line longer than `maxLineBytes` is skipped up to its end
/// (and reported), so one runaway line cannot take the process's memory.
struct LineReader {
    let descriptor: Int32
    let maxLineBytes: Int
    static let chunk = 1 << 20

    enum Line {
        case text(UnsafeBufferPointer<UInt8>, number: Int)
        case tooLong(number: Int)
    }

    /// Calls `body` for each line in order; throws when the input cannot be read.
    func forEachLine(_ body: (Line) -> Void) throws {
        var pending: [UInt8] = []
        pending.reserveCapacity(Self.chunk * 2)
        var scanned = 0          // bytes of `pending` already searched for a newline
        var number = 0
        var skipping = false     // inside a line that was too long: drop bytes up to its newline
        var chunk = [UInt8](repeating: 0, count: Self.chunk)
        var finished = false
        while !finished {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, Self.chunk) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LineReaderError.unreadable(String(cString: strerror(errno)))
            }
            if count == 0 {
                finished = true
                if !pending.isEmpty, !skipping { pending.append(UInt8(ascii: "\n")) }
            } else {
                pending.append(contentsOf: chunk[0..<count])
            }
            var lineStart = 0
            pending.withUnsafeBufferPointer { bytes in
                var k = scanned
                while k < bytes.count {
                    if bytes[k] == UInt8(ascii: "\n") {
                        if skipping {
                            skipping = false
                        } else {
                            number += 1
                            body(.text(UnsafeBufferPointer(rebasing: bytes[lineStart..<k]), number: number))
                        }
                        lineStart = k + 1
                    }
                    k += 1
                }
            }
            pending.removeSubrange(0..<lineStart)
            scanned = pending.count
            if !skipping, pending.count > maxLineBytes {
                number += 1
                body(.tooLong(number: number))
                skipping = true
            }
            if skipping {
                pending.removeAll(keepingCapacity: true)
                scanned = 0
            }
        }
    }
}

enum LineReaderError: Error, CustomStringConvertible {
    case unreadable(String)
    var description: String {
        switch self {
        case .unreadable(let reason): return "the input could not be read (\(reason))"
        }
    }
}
