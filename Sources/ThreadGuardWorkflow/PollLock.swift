import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock beside the database so overlapping cron runs do not poll or act twice at once. The lock is
/// the kernel's (`flock`), so it goes away with the process even when the process is killed.
public final class PollLock {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock for `databasePath`; nil when another run holds it.
    public static func acquire(databasePath: String) throws -> PollLock? {
        let path = databasePath + ".lock"
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return PollLock(path: path, descriptor: descriptor)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
