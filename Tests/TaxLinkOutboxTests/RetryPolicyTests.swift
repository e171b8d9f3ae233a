import Foundation
import TaxLinkOutbox
import TaxLinkSigning
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test func fullJitterStaysWithinTheExponentialCeiling() {
        let backoff = OutboxConfiguration.Backoff(base: 0.5, cap: 30)
        for attempt in 1...12 {
            let ceiling = min(30, 0.5 * pow(2, Double(attempt - 1)))
            #expect(backoff.delay(afterAttempt: attempt, retryAfter: nil, random: { $0.upperBound }) == ceiling)
            #expect(backoff.delay(afterAttempt: attempt, retryAfter: nil, random: { $0.lowerBound }) == 0)
            let drawn = backoff.delay(afterAttempt: attempt, retryAfter: nil)
            #expect(drawn >= 0 && drawn <= ceiling)
        }
    }

    @Test func retryAfterIsAFloor() {
        let backoff = OutboxConfiguration.Backoff(base: 0.5, cap: 30)
        #expect(backoff.delay(afterAttempt: 1, retryAfter: 7, random: { $0.upperBound }) == 7)
        #expect(backoff.delay(afterAttempt: 10, retryAfter: 7, random: { $0.upperBound }) == 30)
    }

    @Test func retryAfterInSecondsAndAsAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:51:37 GMT", now: now) == 120)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:40:00 GMT", now: now) == 0)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
        #expect(RetryAfter.seconds(nil, now: now) == nil)
    }

    @Test func breakerOpensAfterConsecutiveFailuresAndCloses() async {
        let breaker = CircuitBreaker(threshold: 3, cooldown: 10)
        let start = Date(timeIntervalSince1970: 1_000_000)
        #expect(await breaker.recordFailure(now: start) == false)
        #expect(await breaker.recordFailure(now: start) == false)
        await breaker.recordSuccess()
        #expect(await breaker.recordFailure(now: start) == false)
        #expect(await breaker.recordFailure(now: start) == false)
        #expect(await breaker.recordFailure(now: start) == true)
        #expect(await breaker.waitBeforeSending(now: start.addingTimeInterval(4)) == 6)
        #expect(await breaker.waitBeforeSending(now: start.addingTimeInterval(10.5)) == nil)
    }

    @Test(arguments: [0, -1, 5_001])
    func aBatchSizeOutsideTheIntakeLimitIsRefused(size: Int) throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        var configuration = OutboxConfiguration(ministryURL: "http://127.0.0.1:1")
        configuration.batchSize = size
        #expect(throws: OutboxError.self) {
            try Sealer(
                storage: fixture.store,
                identity: fixture.pki.senderIdentity,
                configuration: configuration,
                logger: OutboxFixture.logger
            )
        }
    }

    @Test func batchIDsFitTheIntakePattern() {
        let ids = (0..<100).map { _ in BatchID.make() }
        #expect(Set(ids).count == 100)
        #expect(ids.allSatisfy { $0.count == 26 && $0.allSatisfy { $0.isLetter || $0.isNumber } })
    }
}
