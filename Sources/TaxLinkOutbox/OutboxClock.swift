import Foundation

/// The outbox's time: the wall clock it stamps batches and attempts with, and the waits between
/// rounds. The uploader, the sealer and the breaker read time only through it, so tests run them
/// on a virtual clock instead of sleeping.
public struct OutboxClock: Sendable {
    /// The current wall-clock time.
    public var now: @Sendable () -> Date
    /// Waits `duration`; throws `CancellationError` when the task is cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void

    /// A clock from its two parts.
    public init(now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The system's clock and real waits.
    public static let system = OutboxClock(now: { Date() }, sleep: { try await Task.sleep(for: $0) })
}

extension Duration {
    /// A duration of `seconds` (negative values are zero), to the millisecond.
    static func seconds(interval seconds: TimeInterval) -> Duration {
        guard seconds.isFinite, seconds > 0 else { return .zero }
        return .milliseconds(Int64(min(seconds, 1e12) * 1000))
    }
}
