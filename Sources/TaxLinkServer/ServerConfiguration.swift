/// How `taxlink serve` listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// How long the server waits for a client at each step of a request, so that no half-sent request,
    /// stalled body or idle connection is held for ever. Every default is at most 30 seconds.
    public struct Timeouts: Sendable, Hashable {
        /// From the first byte of a request (or the connection's opening) until the request's head is
        /// complete; a connection whose head is still incomplete then is closed. Default 10 s.
        public var header: Duration
        /// The longest silence while the server waits for more of a request's body; a body that stops
        /// short of its `Content-Length` is answered 400 and the connection closed. Default 30 s.
        public var bodyIdle: Duration
        /// How long a kept-alive connection may wait for its next request before it is closed.
        /// Default 30 s.
        public var keepAliveIdle: Duration

        /// Timeouts with the defaults, or the values given.
        public init(
            header: Duration = .seconds(10), bodyIdle: Duration = .seconds(30), keepAliveIdle: Duration = .seconds(30)
        ) {
            self.header = header
            self.bodyIdle = bodyIdle
            self.keepAliveIdle = keepAliveIdle
        }

        /// Throws when a timeout is zero or negative, naming it: such a timeout would close every
        /// connection at once.
        public func validate() throws(ServerConfigurationError) {
            for (name, value) in [("header", header), ("bodyIdle", bodyIdle), ("keepAliveIdle", keepAliveIdle)]
            where value <= .zero {
                throw ServerConfigurationError(
                    .invalidTimeout, "timeouts.\(name) must be longer than zero, found \(value)")
            }
        }
    }

    /// How the analysts' workbench sessions behave.
    public struct Sessions: Sendable, Hashable {
        /// How long a session lasts after sign-in (default 8 hours, a working day); the cookie's
        /// `Max-Age` and `Expires`, and the stored expiry after which the session is refused and pruned.
        public var lifetime: Duration
        /// Whether the session cookie is always `Secure`: set it when TLS is terminated in front of the
        /// server. Without it the cookie is `Secure` when a request says it came over HTTPS
        /// (`X-Forwarded-Proto: https`).
        public var secureCookie: Bool

        /// Sessions with the defaults, or the values given.
        public init(lifetime: Duration = .seconds(8 * 3600), secureCookie: Bool = false) {
            self.lifetime = lifetime
            self.secureCookie = secureCookie
        }
    }

    /// The address to bind.
    public var host = "127.0.0.1"
    /// The port (0 picks a free one).
    public var port = 8080
    /// The largest feed body accepted, in bytes (default 64 MiB).
    public var maximumBodyBytes = 64 * 1024 * 1024
    /// Bearer tokens and their roles.
    public var tokens = TokenRegistry()
    /// Header, body and keep-alive timeouts.
    public var timeouts = Timeouts()
    /// The workbench's sessions.
    public var sessions = Sessions()

    public init() {}

    /// Throws when a value cannot be served (a timeout of zero or less); ``buildApplication`` calls it.
    public func validate() throws(ServerConfigurationError) {
        try timeouts.validate()
        guard sessions.lifetime >= .seconds(60) else {
            throw ServerConfigurationError(
                .invalidTimeout, "sessions.lifetime must be at least one minute, found \(sessions.lifetime)")
        }
    }
}
