import Foundation

/// A bounded hand-off of feed parts from the adapting side (async) to the database writer (a thread).
///
/// It blocks on one side only, on purpose. The receiver runs inside one SQLite write transaction,
/// in GRDB's synchronous `write` closure on GRDB's own writer thread, not on the Swift cooperative
/// pool: it may block there, waiting on a condition for the next part, and that is the only way a
/// synchronous transaction can consume parts that are still being adapted. The sender runs on the
/// cooperative pool, which must never be blocked (it has one thread per core): when the channel is
/// full it suspends on a continuation and is resumed by the receiver when it takes a part. The
/// bound (`capacity` parts) is what keeps memory proportional to one chunk, not to the feed.
///
/// Either side may fail the channel: the sender when the body cannot be read (the receiver then
/// throws and the transaction rolls back), the receiver when a write fails (the next send throws).
final class FeedChannel<Element: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: every stored property is guarded by `condition`.
    private let condition = NSCondition()
    private let capacity: Int
    private var buffer: [Element] = []
    private var waitingSender: (element: Element, continuation: CheckedContinuation<Void, any Error>)?
    private var failure: (any Error)?

    /// A channel holding at most `capacity` parts (at least 1).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Hands `element` to the receiver, suspending while the channel is full. Throws the channel's
    /// failure, once it has failed.
    func send(_ element: Element) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            condition.lock()
            if let failure {
                condition.unlock()
                continuation.resume(throwing: failure)
            } else if buffer.count < capacity {
                buffer.append(element)
                condition.signal()
                condition.unlock()
                continuation.resume()
            } else {
                waitingSender = (element, continuation)
                condition.unlock()
            }
        }
    }

    /// The next element, blocking the calling thread until there is one. Throws the channel's failure.
    /// Call it only from a thread outside the Swift cooperative pool.
    func receive() throws -> Element {
        condition.lock()
        while buffer.isEmpty, failure == nil { condition.wait() }
        if let failure {
            condition.unlock()
            throw failure
        }
        let element = buffer.removeFirst()
        let resumed = waitingSender
        if let resumed {
            buffer.append(resumed.element)
            waitingSender = nil
        }
        condition.unlock()
        resumed?.continuation.resume()
        return element
    }

    /// Fails the channel: a blocked receiver and a suspended sender wake up with `error`, and every
    /// later call throws it. Only the first failure counts.
    func fail(_ error: any Error) {
        condition.lock()
        guard failure == nil else {
            condition.unlock()
            return
        }
        failure = error
        let waiting = waitingSender
        waitingSender = nil
        condition.broadcast()
        condition.unlock()
        waiting?.continuation.resume(throwing: error)
    }
}
