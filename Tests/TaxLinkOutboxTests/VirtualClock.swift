import Foundation
import TaxLinkOutbox

/// A clock for the outbox whose waits return at once and move its time forward by the wait, so
/// retry waits, breaker pauses and deadlines are tested without sleeping.
final class VirtualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(start: Date = Date()) {
        current = start
    }

    /// The virtual time.
    func now() -> Date {
        lock.withLock { current }
    }

    /// Moves the time forward.
    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }

    /// `seconds` from now, in virtual time.
    func deadline(_ seconds: TimeInterval) -> Date { now().addingTimeInterval(seconds) }

    /// The clock to give the outbox.
    var outboxClock: OutboxClock {
        OutboxClock(
            now: { self.now() },
            sleep: { duration in
                try Task.checkCancellation()
                await Task.yield()
                let (seconds, attoseconds) = duration.components
                self.advance(by: Double(seconds) + Double(attoseconds) / 1e18)
            }
        )
    }
}
