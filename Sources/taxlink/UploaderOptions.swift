import ArgumentParser
import Foundation
import TaxLinkOutbox
import TaxLinkSigning
import X509

/// The uploader's settings: flags, else `TAXLINK_*` variables, else defaults under `taxlink-data/keys`.
struct UploaderOptions: ParsableArguments {
    @Option(name: .customLong("ministry-url"), help: "The ministry intake's base URL (env TAXLINK_MINISTRY_URL).")
    var ministryURL: String?

    @Option(
        name: .customLong("signing-key"),
        help: "PEM P-256 key (env TAXLINK_SIGNING_KEY; default taxlink-data/keys/sender-key.pem)."
    )
    var signingKey: String?

    @Option(
        name: .customLong("signing-chain"),
        help: "PEM chain, leaf first (env TAXLINK_SIGNING_CHAIN; default taxlink-data/keys/sender-chain.pem)."
    )
    var signingChain: String?

    @Option(
        name: .customLong("ministry-trust"),
        help: "PEM ministry certificate or CA (env TAXLINK_MINISTRY_TRUST; default taxlink-data/keys/ca.pem)."
    )
    var ministryTrust: String?

    @Option(
        name: .customLong("batch-size"),
        help: "Records per batch, at most 5000 (env TAXLINK_BATCH_SIZE; default 1000)."
    )
    var batchSize: Int?

    @Option(
        name: .customLong("max-attempts"),
        help: "Attempts before a batch is dead (env TAXLINK_MAX_ATTEMPTS; default 12)."
    )
    var maxAttempts: Int?

    @Option(
        name: .customLong("max-age"),
        help: "Seconds after the first attempt before a batch is dead (env TAXLINK_MAX_AGE; default 86400)."
    )
    var maxAge: Int?

    @Option(name: .customLong("concurrency"), help: "Batches sent at once (env TAXLINK_UPLOAD_CONCURRENCY; default 2).")
    var concurrency: Int?

    @Option(
        name: .customLong("lease-seconds"),
        help:
            "How long a batch being sent is held before another process may take it over (env TAXLINK_LEASE_SECONDS; default 120)."
    )
    var leaseSeconds: Int?

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Whether a ministry URL is configured at all.
    var ministryURLGiven: Bool { ministryURL != nil || environment["TAXLINK_MINISTRY_URL"] != nil }

    private func integer(_ flag: Int?, _ variable: String, _ name: String) throws -> Int? {
        if let flag { return flag }
        guard let text = environment[variable] else { return nil }
        guard let value = Int(text) else { throw CommandFailure("\(variable): '\(text)' is not a whole number") }
        return value
    }

    /// The configuration the flags and environment describe.
    func configuration() throws -> OutboxConfiguration {
        guard let url = ministryURL ?? environment["TAXLINK_MINISTRY_URL"] else {
            throw CommandFailure("--ministry-url (or TAXLINK_MINISTRY_URL) is required")
        }
        var configuration = OutboxConfiguration(ministryURL: url)
        if let size = try integer(batchSize, "TAXLINK_BATCH_SIZE", "--batch-size") {
            guard (1...OutboxConfiguration.maximumBatchRecords).contains(size) else {
                throw CommandFailure("--batch-size must be 1 to \(OutboxConfiguration.maximumBatchRecords)")
            }
            configuration.batchSize = size
        }
        if let attempts = try integer(maxAttempts, "TAXLINK_MAX_ATTEMPTS", "--max-attempts") {
            guard attempts >= 1 else { throw CommandFailure("--max-attempts must be at least 1") }
            configuration.maxAttempts = attempts
        }
        if let age = try integer(maxAge, "TAXLINK_MAX_AGE", "--max-age") {
            guard age >= 1 else { throw CommandFailure("--max-age must be at least 1 second") }
            configuration.maxAge = TimeInterval(age)
        }
        if let parallel = try integer(concurrency, "TAXLINK_UPLOAD_CONCURRENCY", "--concurrency") {
            guard parallel >= 1 else { throw CommandFailure("--concurrency must be at least 1") }
            configuration.concurrency = parallel
        }
        if let lease = try integer(leaseSeconds, "TAXLINK_LEASE_SECONDS", "--lease-seconds") {
            guard lease >= 1 else { throw CommandFailure("--lease-seconds must be at least 1") }
            configuration.leaseSeconds = Int64(lease)
        }
        return configuration
    }

    /// The signing identity and the ministry trust.
    func keys() throws -> (SigningIdentity, [Certificate]) {
        try OutboxRuntime.loadKeys(
            signingKey: signingKey ?? environment["TAXLINK_SIGNING_KEY"] ?? "taxlink-data/keys/sender-key.pem",
            signingChain: signingChain ?? environment["TAXLINK_SIGNING_CHAIN"] ?? "taxlink-data/keys/sender-chain.pem",
            ministryTrust: ministryTrust ?? environment["TAXLINK_MINISTRY_TRUST"] ?? "taxlink-data/keys/ca.pem"
        )
    }
}
