import Foundation
import Synchronization

/// Lets the synchronous ``ReconciliationSnapshot`` calls of the reconciler read from PostgreSQL, whose
/// client is asynchronous: the reconciler's body runs on a thread of its own (never on a thread of
/// Swift's cooperative pool), where each snapshot call blocks until its query, run as a task, is done.
enum PostgresBlockingBridge {
    /// Runs `body` on a new thread and waits for it without blocking the calling task's thread.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Runs `work` as a task and blocks the calling thread until it is done. Call only from a thread
    /// started by ``onOwnThread(_:)``: blocking a thread of the cooperative pool could starve the task.
    static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<T, any Error>?>(nil)
        Task {
            let result: Result<T, any Error>
            do {
                result = .success(try await work())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        guard let result = outcome.withLock({ $0 }) else {
            throw PostgresStoreError.unexpectedAnswer("a snapshot query ended without a result")
        }
        return try result.get()
    }
}
