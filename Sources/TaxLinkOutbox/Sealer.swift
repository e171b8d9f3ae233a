import Foundation
import Logging
import TaxLinkCore
import TaxLinkSigning
import TaxLinkStore

/// Seals ready records into signed batches. The body, its digest, the id and the JWS are fixed
/// here and stored with the batch; nothing changes them afterwards.
public struct Sealer: Sendable {
    let storage: any OutboxStorage
    let identity: SigningIdentity
    let senderID: String
    let configuration: OutboxConfiguration
    let logger: Logger
    /// The chain the batches are signed with (PEM), kept with each batch.
    let signingChain: String
    /// Time spent sealing and what was sealed, for benchmarks.
    public let timings = SealTimings()

    /// A sealer signing with `identity`; the sender id is the tax code of its certificate.
    public init(
        storage: any OutboxStorage,
        identity: SigningIdentity,
        configuration: OutboxConfiguration,
        logger: Logger
    ) throws(OutboxError) {
        guard (1...OutboxConfiguration.maximumBatchRecords).contains(configuration.batchSize) else {
            throw OutboxError.configuration(
                "the batch size must be 1 to \(OutboxConfiguration.maximumBatchRecords) records, not \(configuration.batchSize)"
            )
        }
        guard let senderID = taxCode(of: identity.leaf) else {
            throw OutboxError.configuration("the signing certificate carries no UID=MST:<tax code> in its subject")
        }
        do {
            self.signingChain = try CertificatePEM.pem(identity.chain)
        } catch {
            throw OutboxError.configuration("the signing chain cannot be written as PEM: \(error)")
        }
        self.storage = storage
        self.identity = identity
        self.senderID = senderID
        self.configuration = configuration
        self.logger = logger
    }

    /// Seals every ready record not yet in a batch; returns the batches sealed.
    @discardableResult
    public func sealAvailable() async throws -> [SealedBatch] {
        var sealed: [SealedBatch] = []
        while true {
            let next = try await sealNext()
            guard !next.isEmpty else { return sealed }
            sealed += next
        }
    }

    /// Seals the oldest ready records not yet in a batch, one batch's worth (more than one batch
    /// when their bodies pass the byte limit); returns the batches sealed, none when nothing is
    /// ready. A batch costs one read of its records' stored bytes, one digest and one signature;
    /// the records are never decoded.
    public func sealNext() async throws -> [SealedBatch] {
        let started = ContinuousClock.now
        let sealed = try await sealNextRound()
        await timings.add(
            ContinuousClock.now - started,
            batches: sealed.count,
            records: sealed.reduce(0) { $0 + $1.members.count }
        )
        return sealed
    }

    private func sealNextRound() async throws -> [SealedBatch] {
        while true {
            let records = try await storage.unsealedRecords(limit: configuration.batchSize)
            guard !records.isEmpty else { return [] }
            var sealed: [SealedBatch] = []
            for group in groups(of: records) {
                let batch = try seal(
                    members: group.map { RecordRevision(recordID: $0.recordID, revision: $0.revision) },
                    recordBytes: group.reduce(0) { $0 + $1.body.utf8.count }
                ) { body in
                    for (index, record) in group.enumerated() {
                        if index > 0 { body.append(UInt8(ascii: ",")) }
                        body.append(contentsOf: record.body.utf8)
                    }
                }
                do {
                    try await storage.insertBatch(batch)
                } catch let error as OutboxStorageError where error == .alreadySealed {
                    logger.debug("records taken by another sealer; sealing again")
                    continue
                }
                logger.info("batch sealed", metadata: ["batch_id": "\(batch.id)", "records": "\(batch.members.count)"])
                sealed.append(batch)
            }
            if !sealed.isEmpty { return sealed }
        }
    }

    /// Splits records into groups whose batch bodies stay under the byte limit.
    private func groups(of records: [StoredRecord]) -> [ArraySlice<StoredRecord>] {
        var groups: [ArraySlice<StoredRecord>] = []
        var start = records.startIndex
        var size = 256
        for index in records.indices {
            let bytes = records[index].body.utf8.count + 1
            if size + bytes > configuration.maximumBodyBytes, index > start {
                groups.append(records[start..<index])
                start = index
                size = 256
            }
            size += bytes
        }
        groups.append(records[start...])
        return groups
    }

    /// Builds, digests and signs one batch of records (given as their canonical bytes).
    public func seal(_ records: [(RecordRevision, [UInt8])], parentID: String? = nil) throws -> SealedBatch {
        try seal(members: records.map(\.0), recordBytes: records.reduce(0) { $0 + $1.1.count }, parentID: parentID) {
            body in
            for (index, record) in records.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body.append(contentsOf: record.1)
            }
        }
    }

    /// Builds, digests and signs one batch: the envelope around the records `writeRecords` appends
    /// (their canonical bytes, separated by commas), `recordBytes` long.
    private func seal(
        members: [RecordRevision],
        recordBytes: Int,
        parentID: String? = nil,
        writeRecords: (inout [UInt8]) -> Void
    ) throws -> SealedBatch {
        let now = configuration.clock.now()
        let id = BatchID.make(at: now)
        var body: [UInt8] = []
        body.reserveCapacity(256 + recordBytes + members.count)
        body.append(contentsOf: #"{"schema":"ecom-tax-batch/1","batch_id":"#.utf8)
        CanonicalJSON.write(.string(id), to: &body)
        body.append(contentsOf: #","sender_id":"#.utf8)
        CanonicalJSON.write(.string(senderID), to: &body)
        body.append(contentsOf: #","created_at":""#.utf8)
        body.append(contentsOf: Timestamp(now).iso8601.utf8)
        body.append(contentsOf: #"","record_count":\#(members.count),"records":["#.utf8)
        writeRecords(&body)
        body.append(contentsOf: "]}".utf8)
        return SealedBatch(
            id: id,
            body: body,
            bodySHA256: ContentDigest.sha256Hex(body),
            jws: try DetachedJWS.sign(payload: body, identity: identity),
            createdAt: Timestamp(now),
            members: members,
            parentID: parentID,
            signingChain: signingChain
        )
    }
}
