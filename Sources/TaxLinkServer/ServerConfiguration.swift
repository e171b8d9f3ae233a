/// How `taxlink serve` listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// The address to bind.
    public var host = "127.0.0.1"
    /// The port (0 picks a free one).
    public var port = 8080
    /// The largest feed body accepted, in bytes (default 64 MiB).
    public var maximumBodyBytes = 64 * 1024 * 1024
    /// Bearer tokens and their roles.
    public var tokens = TokenRegistry()

    public init() {}
}
