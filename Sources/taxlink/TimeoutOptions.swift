import ArgumentParser
import TaxLinkServer

/// The server's timeouts as `serve` flags, each also read from an environment variable.
struct TimeoutOptions: ParsableArguments {
    @Option(
        name: .customLong("header-timeout"),
        help: "Seconds a request's head may take to arrive (env TAXLINK_HEADER_TIMEOUT; default 10)."
    )
    var header: String?

    @Option(
        name: .customLong("body-timeout"),
        help: "Seconds of silence allowed while a request body is awaited (env TAXLINK_BODY_TIMEOUT; default 30)."
    )
    var bodyIdle: String?

    @Option(
        name: .customLong("keep-alive-timeout"),
        help: "Seconds an idle kept-alive connection stays open (env TAXLINK_KEEPALIVE_TIMEOUT; default 30)."
    )
    var keepAliveIdle: String?

    /// The timeouts of the flags, else of the environment, else the defaults.
    func timeouts(environment: [String: String]) throws -> ServerConfiguration.Timeouts {
        var timeouts = ServerConfiguration.Timeouts()
        func read(_ flag: String?, _ name: String, _ variable: String) throws -> Duration? {
            guard let text = flag ?? environment[variable] else { return nil }
            guard let seconds = Double(text), seconds.isFinite, seconds > 0, seconds <= 86_400 else {
                throw CommandFailure(
                    "--\(name) (or \(variable)): expected seconds between 0 and 86400, found '\(text)'"
                )
            }
            return .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        timeouts.header = try read(header, "header-timeout", "TAXLINK_HEADER_TIMEOUT") ?? timeouts.header
        timeouts.bodyIdle = try read(bodyIdle, "body-timeout", "TAXLINK_BODY_TIMEOUT") ?? timeouts.bodyIdle
        timeouts.keepAliveIdle =
            try read(keepAliveIdle, "keep-alive-timeout", "TAXLINK_KEEPALIVE_TIMEOUT") ?? timeouts.keepAliveIdle
        return timeouts
    }
}
