import ArgumentParser
import Foundation
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkSigning
import TaxLinkStore
import X509

/// `taxlink outbox …`: the operator's view of the outbox.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Watch and manage the outbox of signed batches.",
        subcommands: [Status.self, List.self, Show.self, Retry.self, Requeue.self, Verify.self, EvidenceCommand.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Counts and oldest age per state, last error, next attempt."
        )
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            var output = Output()
            output.json(try await storage.withStores { try await $0.outbox.outboxStatus(now: .now).json })
            output.flush()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The batches, oldest first (jsonl).")
        @OptionGroup var storage: StorageOptions
        @Option(help: "Only batches in this state (sealed, sending, retry_wait, processing, delivered, dead, split).")
        var state: String?
        @Option(help: "At most this many.")
        var limit = 1000

        func run() async throws {
            let state = try state.map { text in
                guard let state = BatchState(rawValue: text) else {
                    throw CommandFailure("--state: unknown state '\(text)'")
                }
                return state
            }
            var output = Output()
            for batch in try await storage.withStores({ try await $0.outbox.batches(state: state, limit: limit) }) {
                output.json(batch.summaryJSON)
            }
            output.flush()
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One batch with every attempt and its receipt.")
        @OptionGroup var storage: StorageOptions
        @Argument var batch: String

        func run() async throws {
            try await storage.withStores { stores in
                let store = stores.outbox
                guard let found = try await store.batch(id: batch) else { throw CommandFailure("no batch '\(batch)'") }
                guard case .object(var members) = found.summaryJSON else { return }
                members.members.append(
                    (key: "attempts_detail", value: .array(try await store.attempts(batchID: batch).map(\.json)))
                )
                let receipt = found.receipt.flatMap { try? JSONParser.parse($0) } ?? .null
                members.members.append((key: "receipt", value: receipt))
                let received = try await store.receipts(batchID: batch).map { stored -> JSONValue in
                    .object([
                        "received_at": .string(stored.receipt.receivedAt.iso8601), "status": .int(stored.receipt.status),
                        "verdict": .string(stored.verdict.name), "problem": .optional(stored.verdict.problem),
                    ])
                }
                members.members.append((key: "receipts_received", value: .array(received)))
                var output = Output()
                output.json(.object(members))
                output.flush()
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a waiting or dead batch due now.")
        @OptionGroup var storage: StorageOptions
        @Argument var batch: String

        func run() async throws {
            guard try await storage.withStores({ try await $0.outbox.retryNow(batchID: batch, now: .now) }) else {
                throw CommandFailure("batch '\(batch)' is not waiting to retry, sealed or dead")
            }
            Output.progress("batch \(batch) is due now")
        }
    }

    struct Requeue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move dead batches back to be sent.")
        @OptionGroup var storage: StorageOptions
        @Flag(help: "Requeue dead batches (required).")
        var dead = false
        @Option(help: "At most this many (default 100).")
        var limit = 100

        func run() async throws {
            guard dead else { throw CommandFailure("say --dead to requeue dead batches") }
            guard limit >= 1 else { throw CommandFailure("--limit must be at least 1") }
            let ids = try await storage.withStores { try await $0.outbox.requeueDead(limit: limit, now: .now) }
            var output = Output()
            output.json(.object(["requeued": .array(ids.map { .string($0) })]))
            output.flush()
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Re-check every stored body against its digest and the chain it was signed with, every receipt against the ministry certificate.",
            discussion:
                "Needs no private key: each batch is checked against the certificate chain kept when it was sealed, each receipt against the ministry certificates it was verified with."
        )
        @OptionGroup var storage: StorageOptions
        @OptionGroup var trust: AuditTrustOptions

        func run() async throws {
            let (senderTrust, ministryTrust) = try trust.certificates()
            let report = try await storage.withStores { stores in
                try await OutboxAudit(storage: stores.outbox, senderTrust: senderTrust, ministryTrust: ministryTrust).run()
            }
            var output = Output()
            output.json(
                .object([
                    "batches_checked": .int(report.batchesChecked), "receipts_checked": .int(report.receiptsChecked),
                    "problems": .array(
                        report.findings.map {
                            .object(["batch_id": .string($0.batchID), "problem": .string($0.problem)])
                        }
                    ),
                ])
            )
            output.flush()
            if !report.findings.isEmpty { throw CommandFailure("\(report.findings.count) problem(s) found") }
        }
    }

    struct EvidenceCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evidence",
            abstract: "Write what a third party needs to verify one exchange (no private key needed)."
        )
        @OptionGroup var storage: StorageOptions
        @OptionGroup var trust: AuditTrustOptions
        @Argument var batch: String
        @Option(help: "The folder to write.")
        var out: String

        func run() async throws {
            try await storage.withStores { stores in
                let store = stores.outbox
                guard let found = try await store.batch(id: batch) else { throw CommandFailure("no batch '\(batch)'") }
                let (_, ministryTrust) = try trust.certificates()
                try Evidence.write(
                    found,
                    receipts: try await store.receipts(batchID: batch),
                    ministryTrust: ministryTrust,
                    to: URL(fileURLWithPath: out)
                )
                Output.progress("evidence of \(batch) written to \(out)")
            }
        }
    }
}

/// Certificates an audit may use besides those kept with each batch and receipt (public ones only).
struct AuditTrustOptions: ParsableArguments {
    @Option(
        name: .customLong("ministry-trust"),
        help:
            "PEM ministry certificate or CA, trusted besides those kept with each receipt (env TAXLINK_MINISTRY_TRUST)."
    )
    var ministryTrust: String?

    @Option(
        name: .customLong("sender-trust"),
        help: "PEM sender certificate or CA, only for batches sealed before their signing chain was kept."
    )
    var senderTrust: String?

    /// The sender and ministry certificates named, each empty when none is.
    func certificates() throws -> ([Certificate], [Certificate]) {
        func load(_ path: String?, _ flag: String) throws -> [Certificate] {
            guard let path else { return [] }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandFailure("\(flag): cannot read \(path)")
            }
            return try CertificatePEM.certificates(in: String(decoding: data, as: UTF8.self))
        }
        let ministry = ministryTrust ?? ProcessInfo.processInfo.environment["TAXLINK_MINISTRY_TRUST"]
        return (try load(senderTrust, "--sender-trust"), try load(ministry, "--ministry-trust"))
    }
}
