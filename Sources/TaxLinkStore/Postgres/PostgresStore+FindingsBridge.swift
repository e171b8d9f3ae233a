import Foundation
import Synchronization

/// Lets the synchronous ``ReconciliationSnapshot`` calls of the reconciler read from PostgreSQL, whose
/// client is asynchronous: the reconciler's body runs on a thread of its own (never on a thread of
/// Swift's cooperative pool), where each snapshot call blocks until its query, run as a task, is done.
enum PostgresBlockingBridge {
    /// Runs `body` on a new thread and waits for it without blocking the calling task's thread.
    ///
    /// The thread lets go of `body` before it resumes the caller, so a caller that lent a non-escaping
    /// closure (`withoutActuallyEscaping`) finds it released when its scope ends.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let lent = LentBody(body)
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: lent.run()) }
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

/// A body lent to the bridge's thread, released as soon as it has run.
private final class LentBody<T: Sendable>: @unchecked Sendable {
    // Written once by `run()`, on the one thread that calls it.
    private var body: (@Sendable () throws -> T)?

    init(_ body: @escaping @Sendable () throws -> T) {
        self.body = body
    }

    /// Runs the body once and drops it before answering.
    func run() -> Result<T, any Error> {
        guard let body else {
            return .failure(PostgresStoreError.unexpectedAnswer("a snapshot body was run twice"))
        }
        self.body = nil
        return Result { try body() }
    }
}
