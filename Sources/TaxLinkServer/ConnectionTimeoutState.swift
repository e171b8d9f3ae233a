/// The timeout rules of one HTTP/1 connection, apart from the channel that applies them (so they can be
/// tested with instants chosen by the test).
///
/// - Until a request's head is complete the connection has ``ServerConfiguration/Timeouts/header`` from
///   its opening, or from the first byte after a kept-alive pause.
/// - While the server waits for more of a body (it asked the socket for data and none came) the silence
///   may last ``ServerConfiguration/Timeouts/bodyIdle``; time the server itself spends on the body does
///   not count. Then the request fails with 400 if its answer has not started, and the connection closes
///   once the answer is written (or ``failedAnswerGrace`` later, whatever happens).
/// - Between a complete answer and the next request: ``ServerConfiguration/Timeouts/keepAliveIdle``.
struct ConnectionTimeoutState: Sendable {
    /// What to do when the deadline passes.
    enum Expiry: Equatable, Sendable {
        /// Nothing is due (the deadline moved away or was lifted).
        case nothing
        /// Check again at this instant.
        case wait(until: ContinuousClock.Instant)
        /// Close the connection without an answer.
        case close
        /// Fail the request being read (answered 400), then close.
        case failRequest
    }

    private enum Waiting: Equatable, Sendable {
        /// For the head of a request whose first bytes came (or on a new connection).
        case head
        /// For the next request on a kept-alive connection.
        case nextRequest
        /// For more of a request body, once the server asks for it.
        case body
        /// For nothing the client sends: the server is answering.
        case answer
        /// For the answer to a request that failed by timeout.
        case failedAnswer
    }

    let timeouts: ServerConfiguration.Timeouts
    /// How long the answer to a request failed by the body timeout may take before the connection is
    /// closed anyway: one more body timeout, and at least 5 seconds.
    var failedAnswerGrace: Duration { max(timeouts.bodyIdle, .seconds(5)) }
    /// When the current wait ends, if the connection is waiting for the client.
    private(set) var deadline: ContinuousClock.Instant?
    private var waiting: Waiting = .head
    private var readingRequest = false
    private var openAnswers = 0

    init(timeouts: ServerConfiguration.Timeouts) {
        self.timeouts = timeouts
    }

    /// The connection opened: its first request head is due within the header timeout.
    mutating func opened(at now: ContinuousClock.Instant) {
        waiting = .head
        deadline = now + timeouts.header
    }

    /// Bytes arrived from the socket (whatever they held).
    mutating func bytesArrived(at now: ContinuousClock.Instant) {
        guard waiting == .nextRequest else { return }
        waiting = .head
        deadline = now + timeouts.header
    }

    /// A request head was read.
    mutating func headRead() {
        readingRequest = true
        openAnswers += 1
        if waiting != .failedAnswer { waiting = .body }
        deadline = nil
    }

    /// Part of a body was read.
    mutating func bodyRead() {
        if waiting == .body { deadline = nil }
    }

    /// The end of a request was read.
    mutating func endRead(at now: ContinuousClock.Instant) {
        readingRequest = false
        guard waiting == .body else { return }
        waiting = .answer
        deadline = nil
        idleIfDone(at: now)
    }

    /// The server asked the socket for more data.
    mutating func readRequested(at now: ContinuousClock.Instant) {
        if waiting == .body, deadline == nil { deadline = now + timeouts.bodyIdle }
    }

    /// An answer was written to its end. Returns whether the connection must now close.
    mutating func answerWritten(at now: ContinuousClock.Instant) -> Bool {
        openAnswers = max(0, openAnswers - 1)
        if waiting == .failedAnswer { return true }
        idleIfDone(at: now)
        return false
    }

    /// The deadline's instant came: what to do.
    mutating func deadlineReached(at now: ContinuousClock.Instant) -> Expiry {
        guard let deadline else { return .nothing }
        guard now >= deadline else { return .wait(until: deadline) }
        switch waiting {
        case .head, .nextRequest, .failedAnswer:
            self.deadline = nil
            return .close
        case .answer:
            self.deadline = nil
            return .nothing
        case .body:
            guard openAnswers > 0, readingRequest else {
                self.deadline = nil
                return .close
            }
            waiting = .failedAnswer
            self.deadline = now + failedAnswerGrace
            return .failRequest
        }
    }

    private mutating func idleIfDone(at now: ContinuousClock.Instant) {
        guard waiting == .answer, !readingRequest, openAnswers == 0 else { return }
        waiting = .nextRequest
        deadline = now + timeouts.keepAliveIdle
    }
}
