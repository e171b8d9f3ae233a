import Foundation

/// Pauses sending after too many consecutive failures, so a ministry that is down is not hammered.
/// It reads no clock: the caller passes the time (the uploader's ``OutboxClock``).
public actor CircuitBreaker {
    private let threshold: Int
    private let cooldown: TimeInterval
    private var consecutiveFailures = 0
    private var openUntil: Date?

    /// A closed breaker that opens after `threshold` consecutive failures (at least 1) for `cooldown` seconds.
    public init(threshold: Int, cooldown: TimeInterval) {
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
    }

    /// How long to wait before sending, or `nil` when sending is allowed.
    public func waitBeforeSending(now: Date) -> TimeInterval? {
        guard let openUntil, openUntil > now else { return nil }
        return openUntil.timeIntervalSince(now)
    }

    /// A send got an answer that was not a transient failure.
    public func recordSuccess() {
        consecutiveFailures = 0
        openUntil = nil
    }

    /// A send failed transiently (5xx, 429, no answer); returns whether the breaker is now open.
    @discardableResult
    public func recordFailure(now: Date) -> Bool {
        consecutiveFailures += 1
        guard consecutiveFailures >= threshold else { return false }
        openUntil = now.addingTimeInterval(cooldown)
        consecutiveFailures = 0
        return true
    }
}
