import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TaxLinkCore
import TaxLinkSigning
import Testing
import X509

@testable import MinistryMock

@Suite struct IntakeTests {
    typealias F = MinistryFixture

    @Test func aValidBatchGetsASignedReceipt() async throws {
        let app = try await F().app()
        try await app.test(.live) { client in
            let body = F.batch("B-1", records: [F.record("A1"), F.record("A2")])
            let response = try await F.post(client, body, batchID: "B-1")
            #expect(response.status == .created)
            #expect(response.headers[.contentType] == "application/json")
            let jws = try #require(response.headers[F.jwsSignature])
            let signer = try await DetachedJWS.verify(
                jws,
                payload: response.bytes,
                trustAnchors: [F.pki.caCertificate]
            )
            #expect(signer == F.pki.ministryIdentity.leaf)
            // The pinned ministry certificate works as well.
            _ = try await DetachedJWS.verify(jws, payload: response.bytes, trustAnchors: [F.pki.ministryIdentity.leaf])
            let receipt = try #require(response.json)
            guard case .object(let object) = receipt else { throw Failure("receipt is not an object") }
            #expect(
                object.members.map(\.key) == [
                    "receipt_id", "batch_id", "received_at", "body_sha256", "accepted", "rejected",
                ]
            )
            #expect(receipt["receipt_id"]?.stringValue?.hasSuffix("-000001") == true)
            #expect(receipt["receipt_id"]?.stringValue?.hasPrefix("R-20") == true)
            #expect(receipt["batch_id"] == "B-1")
            #expect(receipt["body_sha256"]?.stringValue == ContentDigest.sha256Hex(body))
            #expect(receipt["accepted"] == .int(2))
            #expect(receipt["rejected"] == .array([]))
            #expect(receipt["received_at"]?.stringValue.flatMap(WireFormat.utcTime) != nil)

            let second = try await F.post(client, F.batch("B-2", records: [F.record("A3")]), batchID: "B-2")
            #expect(second.status == .created)
            #expect(second.json?["receipt_id"]?.stringValue?.hasSuffix("-000002") == true)
        }
    }

    @Test func aRetryGetsTheOriginalReceiptBytes() async throws {
        let app = try await F().app()
        try await app.test(.live) { client in
            let body = F.batch("B-1", records: [F.record("A1")])
            let first = try await F.post(client, body, batchID: "B-1")
            #expect(first.status == .created)
            // Signed anew: a different JWS over the same bytes, still the same answer.
            let replay = try await F.post(client, body, batchID: "B-1")
            #expect(replay.status == .ok)
            #expect(replay.bytes == first.bytes)
            #expect(replay.headers[F.jwsSignature] == first.headers[F.jwsSignature])
            let polled = try await client.execute(uri: "/v1/batches/B-1", method: .get)
            #expect(polled.status == .ok)
            #expect(polled.bytes == first.bytes)
            let stats = try await client.execute(uri: "/_stats", method: .get).json
            #expect(stats?["replays"] == .int(1))
            #expect(stats?["batches_accepted"] == .int(1))
            #expect(stats?["records_accepted"] == .int(1))
        }
    }

    @Test func theSameIDWithAnotherBodyIsAConflict() async throws {
        let app = try await F().app()
        try await app.test(.live) { client in
            #expect(
                try await F.post(client, F.batch("B-1", records: [F.record("A1")]), batchID: "B-1").status == .created
            )
            let other = F.batch("B-1", records: [F.record("A2")])
            let response = try await F.post(client, other, batchID: "B-1")
            #expect(response.status == .conflict)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.json?["status"] == .int(409))
            #expect(response.json?["type"]?.stringValue?.isEmpty == false)
            #expect(response.json?["title"]?.stringValue?.isEmpty == false)
            #expect(response.json?["detail"]?.stringValue?.contains("B-1") == true)
            let stats = try await client.execute(uri: "/_stats", method: .get).json
            #expect(stats?["conflicts"] == .int(1))
        }
    }

    @Test func authenticationFailuresAre401() async throws {
        let stranger = try DevelopmentPKI.generate(taxCode: F.senderTaxCode)
        let app = try await F().app()
        try await app.test(.live) { client in
            let body = F.batch("B-1", records: [F.record("A1")])
            let good = try F.headers(for: body, batchID: "B-1")
            var cases: [(String, HTTPFields)] = []
            var headers = good
            headers[F.contentDigest] = nil
            cases.append(("missing digest", headers))
            headers = good
            headers[F.contentDigest] = ContentDigest.header(for: body + [0x20])
            cases.append(("wrong digest", headers))
            headers = good
            headers[F.jwsSignature] = nil
            cases.append(("missing signature", headers))
            headers = good
            headers[F.jwsSignature] = try DetachedJWS.sign(payload: body + [0x20], identity: F.pki.senderIdentity)
            cases.append(("signature over other bytes", headers))
            headers = good
            headers[F.jwsSignature] = "not a jws"
            cases.append(("malformed signature", headers))
            cases.append(
                ("untrusted chain", try F.headers(for: body, batchID: "B-1", identity: stranger.senderIdentity))
            )
            for (name, headers) in cases {
                let response = try await F.post(client, body, batchID: "B-1", headers: headers)
                #expect(response.status == .unauthorized, "\(name)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(name)")
            }
            // Nothing was stored: the proper upload is still new.
            #expect(try await F.post(client, body, batchID: "B-1").status == .created)
        }
    }

    @Test func anExpiredSenderCertificateIs401() async throws {
        let app = try await F { $0.clock = { Date().addingTimeInterval(900 * 86_400) } }.app()
        try await app.test(.live) { client in
            let body = F.batch("B-1", records: [F.record("A1")])
            let response = try await F.post(client, body, batchID: "B-1")
            #expect(response.status == .unauthorized)
            #expect(response.json?["detail"]?.stringValue?.contains("expired") == true)
        }
    }

    @Test func envelopeViolationsAre400() async throws {
        let app = try await F().app()
        try await app.test(.live) { client in
            let records = [F.record("A1")]
            var cases: [(String, [UInt8], HTTPFields?)] = [
                ("sender_id is not the certificate's", F.batch("B-1", records: records, senderID: "0100233488"), nil),
                ("record_count is wrong", F.batch("B-1", records: records, recordCount: 2), nil),
                ("malformed JSON", Array(#"{"schema":"ecom-tax-batch/1","#.utf8), nil),
                ("not an object", Array("[]".utf8), nil),
                ("no records", F.batch("B-1", records: []), nil),
                ("bad batch_id", F.batch("B 1", records: records), nil),
                ("batch_id too long", F.batch(String(repeating: "x", count: 65), records: records), nil),
            ]
            let valid = F.batch("B-1", records: records)
            guard let envelope = try? JSONParser.parse(valid) else { throw Failure("fixture") }
            for (name, path, value) in [
                ("unknown schema", "schema", JSONValue.string("ecom-tax-batch/2")),
                ("created_at not UTC", "created_at", "2026-01-09T14:00:00+07:00"),
                ("record_count a string", "record_count", "1"),
                ("an extra member", "extra", true),
            ] {
                cases.append((name, CanonicalJSON.encode(envelope.setting([path], to: value)), nil))
            }
            cases.append(("sender_id missing", CanonicalJSON.encode(envelope.setting(["sender_id"], to: nil)), nil))
            var headers = try F.headers(for: valid, batchID: "B-1")
            headers[F.idempotencyKey] = "B-2"
            cases.append(("Idempotency-Key is not batch_id", valid, headers))
            headers[F.idempotencyKey] = nil
            cases.append(("no Idempotency-Key", valid, headers))
            headers = try F.headers(for: valid, batchID: "B-1")
            headers[.contentType] = "text/plain"
            cases.append(("not JSON content", valid, headers))
            for (name, body, headers) in cases {
                let batchID = (try? JSONParser.parse(body))?["batch_id"]?.stringValue ?? "B-1"
                let response = try await F.post(client, body, batchID: batchID, headers: headers)
                #expect(response.status == .badRequest, "\(name): \(String(decoding: response.bytes, as: UTF8.self))")
                #expect(response.headers[.contentType] == "application/problem+json", "\(name)")
                #expect(response.json?["status"] == .int(400), "\(name)")
            }
            let mismatch = try await F.post(
                client,
                F.batch("B-9", records: records, senderID: "0100233488"),
                batchID: "B-9"
            )
            #expect(mismatch.json?["errors"]?.arrayValue?.first?["pointer"] == "/sender_id")
        }
    }

    @Test func tooManyRecordsOrBytesAre413() async throws {
        let app = try await F().app()
        try await app.test(.live) { client in
            let records = (0..<5001).map { F.record("R\($0)") }
            let body = F.batch("B-big", records: records)
            #expect(body.count < 8 * 1024 * 1024)
            let response = try await F.post(client, body, batchID: "B-big")
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
            let fits = F.batch("B-fits", records: Array(records.prefix(5000)))
            #expect(try await F.post(client, fits, batchID: "B-fits").status == .created)
        }
        let small = try await F { $0.maxBodyBytes = 2000 }.app()
        try await small.test(.live) { client in
            let body = F.batch("B-1", records: [F.record("A1"), F.record("A2"), F.record("A3")])
            #expect(body.count > 2000)
            let response = try await F.post(client, body, batchID: "B-1")
            #expect(response.status == .contentTooLarge)
            // The connection is still usable, and nothing was stored.
            #expect(try await client.execute(uri: "/v1/batches/B-1", method: .get).status == .notFound)
        }
    }

    @Test func unknownBatchesAndPathsAre404ProblemDocuments() async throws {
        let app = try await F().app()
        try await app.test(.router) { client in
            let batch = try await client.execute(uri: "/v1/batches/nope", method: .get)
            #expect(batch.status == .notFound)
            #expect(batch.headers[.contentType] == "application/problem+json")
            let path = try await client.execute(uri: "/v2/whatever", method: .get)
            #expect(path.status == .notFound)
            #expect(path.headers[.contentType] == "application/problem+json")
        }
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
