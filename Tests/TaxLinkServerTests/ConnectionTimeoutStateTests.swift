import Testing

@testable import TaxLinkServer

/// The timeout rules on instants the test chooses (no clock runs).
@Suite("Connection timeout rules")
struct ConnectionTimeoutStateTests {
    let start = ContinuousClock.now
    let timeouts = ServerConfiguration.Timeouts(
        header: .seconds(10), bodyIdle: .seconds(20), keepAliveIdle: .seconds(30))

    func at(_ seconds: Int) -> ContinuousClock.Instant { start + .seconds(seconds) }

    @Test func aNewConnectionMustSendItsHeadWithinTheHeaderTimeout() {
        var state = ConnectionTimeoutState(timeouts: timeouts)
        state.opened(at: at(0))
        state.bytesArrived(at: at(3))
        #expect(state.deadlineReached(at: at(9)) == .wait(until: at(10)))
        #expect(state.deadlineReached(at: at(10)) == .close)
    }

    @Test func aStalledBodyFailsTheRequestThenCloses() {
        var state = ConnectionTimeoutState(timeouts: timeouts)
        state.opened(at: at(0))
        state.headRead()
        state.readRequested(at: at(1))
        state.bodyRead()
        state.readRequested(at: at(5))
        #expect(state.deadlineReached(at: at(24)) == .wait(until: at(25)))
        #expect(state.deadlineReached(at: at(25)) == .failRequest)
        let closes = state.answerWritten(at: at(26))
        #expect(closes)
    }

    @Test func timeTheServerSpendsOnTheBodyDoesNotCount() {
        var state = ConnectionTimeoutState(timeouts: timeouts)
        state.opened(at: at(0))
        state.headRead()
        state.readRequested(at: at(1))
        state.bodyRead()
        // The server does not ask for more data for a minute (back pressure): no deadline runs.
        #expect(state.deadline == nil)
        #expect(state.deadlineReached(at: at(60)) == .nothing)
        state.readRequested(at: at(61))
        #expect(state.deadline == at(81))
    }

    @Test func aFailedRequestWhoseAnswerNeverComesIsClosedOneBodyTimeoutLater() {
        var state = ConnectionTimeoutState(timeouts: timeouts)
        state.opened(at: at(0))
        state.headRead()
        state.readRequested(at: at(0))
        #expect(state.deadlineReached(at: at(20)) == .failRequest)
        #expect(state.deadlineReached(at: at(40)) == .close)
    }

    @Test func anEarlyAnswerLeavesTheRestOfTheBodyToTheBodyTimeoutThenCloses() {
        var state = ConnectionTimeoutState(timeouts: timeouts)
        state.opened(at: at(0))
        state.headRead()
        let closes = state.answerWritten(at: at(1))
        #expect(!closes)
        state.readRequested(at: at(1))
        #expect(state.deadlineReached(at: at(21)) == .close)
    }

    @Test func aKeptAliveConnectionClosesAfterTheKeepAliveTimeout() {
        var state = ConnectionTimeoutState(timeouts: timeouts)
        state.opened(at: at(0))
        state.headRead()
        state.endRead(at: at(1))
        #expect(state.deadline == nil)
        let closes = state.answerWritten(at: at(2))
        #expect(!closes)
        #expect(state.deadline == at(32))
        #expect(state.deadlineReached(at: at(32)) == .close)
    }

    @Test func theFirstByteOfTheNextRequestStartsTheHeaderTimeout() {
        var state = ConnectionTimeoutState(timeouts: timeouts)
        state.opened(at: at(0))
        state.headRead()
        state.endRead(at: at(0))
        _ = state.answerWritten(at: at(0))
        state.bytesArrived(at: at(5))
        #expect(state.deadline == at(15))
        state.headRead()
        state.endRead(at: at(6))
        #expect(state.deadline == nil)
        #expect(state.deadlineReached(at: at(100)) == .nothing)
    }
}
