import Dispatch
import Foundation

/// Lets synchronous callers (the `Store` protocol's calls, as GRDB's are) wait for PostgresNIO's async calls without
/// waiting on Swift's cooperative threads. Those threads are as few as the cores: a caller blocking one of them while
/// the query it waits for needed another could stall every one of them. So the store's tasks prefer an executor of
/// their own, backed by a dispatch queue, and the waiting caller blocks only itself.
final class PostgresBridge: TaskExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "threadguard.postgres", qos: .userInitiated, attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Starts `body` on the bridge's executor (the client's background work).
    func start(_ body: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        Task(executorPreference: self) { await body() }
    }

    /// Runs `body` on the bridge's executor and waits for it on the calling thread.
    func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: self) {
            do { outcome.result = .success(try await body()) } catch { outcome.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try outcome.result!.get()
    }
}

/// What a waited-for task came to (written before the semaphore is signalled, read after it is waited for).
private final class Outcome<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
