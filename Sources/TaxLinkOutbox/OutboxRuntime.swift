import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import TaxLinkSigning
import TaxLinkStore
import X509

/// Everything the uploader needs, loaded once: keys, trust, HTTP client. Use ``withRuntime`` so
/// the HTTP client is shut down when the work ends.
public struct OutboxRuntime: Sendable {
    /// Seals ready records into signed batches.
    public let sealer: Sealer
    /// Sends sealed batches and records the answers.
    public let uploader: Uploader
    /// Checks stored batches and receipts again.
    public let audit: OutboxAudit
    /// The sender's key and certificate chain the batches are signed with.
    public let identity: SigningIdentity
    /// The ministry certificates receipts are checked against.
    public let ministryTrust: [Certificate]

    /// Runs `body` with a runtime for `storage`, then shuts the HTTP client down; `metricsFactory`
    /// makes the uploader's counters.
    public static func withRuntime<T: Sendable>(
        storage: any OutboxStorage,
        configuration: OutboxConfiguration,
        identity: SigningIdentity,
        ministryTrust: [Certificate],
        logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        _ body: (OutboxRuntime) async throws -> T
    ) async throws -> T {
        guard !ministryTrust.isEmpty else { throw OutboxError.configuration("no ministry certificate to trust") }
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.timeout = HTTPClient.Configuration.Timeout(
            connect: .milliseconds(Int64(configuration.connectTimeout * 1000)),
            read: .milliseconds(Int64(configuration.requestTimeout * 1000))
        )
        let sealer = try Sealer(storage: storage, identity: identity, configuration: configuration, logger: logger)
        let verifier = ReceiptVerifier(trustAnchors: ministryTrust)
        return try await HTTPClient.withHTTPClient(configuration: httpConfiguration) { client in
            let runtime = OutboxRuntime(
                sealer: sealer,
                uploader: Uploader(
                    storage: storage,
                    sealer: sealer,
                    client: MinistryClient(
                        client: client,
                        baseURL: configuration.ministryURL,
                        requestTimeout: configuration.requestTimeout
                    ),
                    verifier: verifier,
                    configuration: configuration,
                    logger: logger,
                    metricsFactory: metricsFactory
                ),
                audit: OutboxAudit(storage: storage, ministryTrust: ministryTrust),
                identity: identity,
                ministryTrust: ministryTrust
            )
            return try await body(runtime)
        }
    }

    /// Loads the signing key, its chain and the ministry's trust from PEM files.
    public static func loadKeys(
        signingKey: String,
        signingChain: String,
        ministryTrust: String
    ) throws -> (SigningIdentity, [Certificate]) {
        func read(_ path: String, _ what: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw OutboxError.configuration("\(what): cannot read \(path)")
            }
            return String(decoding: data, as: UTF8.self)
        }
        let identity = try SigningIdentity.load(
            keyPEM: try read(signingKey, "signing key"),
            chainPEM: try read(signingChain, "signing chain")
        )
        let trust = try CertificatePEM.certificates(in: try read(ministryTrust, "ministry trust"))
        return (identity, trust)
    }
}
