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

/// Keys, a fresh database and request builders for the mock ministry's tests.
struct MinistryFixture {
    static let senderTaxCode = "0100109106"
    static let pki: DevelopmentPKI = {
        do { return try DevelopmentPKI.generate(taxCode: senderTaxCode) } catch { preconditionFailure("\(error)") }
    }()

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let contentDigest = HTTPField.Name("Content-Digest")!
    static let jwsSignature = HTTPField.Name("JWS-Signature")!

    let databasePath: String
    var configuration: MinistryConfiguration

    init(configure: (inout MinistryConfiguration) -> Void = { _ in }) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ministry-\(UUID().uuidString)")
        databasePath = directory.appendingPathComponent("ministry.sqlite").path
        configuration = MinistryConfiguration(
            databasePath: databasePath,
            trustAnchors: [Self.pki.caCertificate],
            identity: Self.pki.ministryIdentity
        )
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configure(&configuration)
    }

    func app() async throws -> some ApplicationProtocol {
        try await buildMinistryApplication(configuration: configuration)
    }

    /// A valid record (`ecom-tax-record/1`) of a sale.
    static func record(_ externalID: String, revision: Int = 1, platform: String = "shopee") -> JSONValue {
        .object([
            "record_id": .string("\(platform):sale:\(externalID)"),
            "revision": .int(revision),
            "platform": .string(platform),
            "kind": "sale",
            "external_id": .string(externalID),
            "original_external_id": nil,
            "occurred_at": "2026-01-09T03:15:00Z",
            "tax_period": "2026-01",
            "seller": .object([
                "platform_seller_id": "88123",
                "tax_code": "0312345673",
                "national_id": nil,
                "name": "Hộ kinh doanh Minh Anh",
                "type": "household",
                "resident": true,
            ]),
            "currency": "VND",
            "lines": .array([
                .object([
                    "sku": "TS-01", "name": "Áo thun", "category": "goods", "quantity": .int(2),
                    "amount": .int(300_000),
                ])
            ]),
            "amounts": .object([
                "gross": .int(300_000), "seller_discount": .int(20000), "platform_discount": .int(10000),
                "shipping_fee": .int(25000), "buyer_paid": .int(295_000), "platform_fees": .int(18000),
                "taxable_revenue": .int(280_000),
            ]),
            "withholding": .object(["vat": .int(2800), "pit": .int(1400)]),
            "flags": .array([]),
            "source": .object(["feed_id": "f-000123", "received_at": "2026-01-09T03:20:00Z"]),
        ])
    }

    /// The bytes of a batch holding `records`.
    static func batch(
        _ batchID: String,
        records: [JSONValue],
        senderID: String = senderTaxCode,
        recordCount: Int? = nil
    ) -> [UInt8] {
        CanonicalJSON.encode(
            .object([
                "schema": "ecom-tax-batch/1",
                "batch_id": .string(batchID),
                "sender_id": .string(senderID),
                "created_at": "2026-01-09T07:00:00Z",
                "record_count": .int(recordCount ?? records.count),
                "records": .array(records),
            ])
        )
    }

    /// The headers of a batch upload, signed by `identity` (the sender by default).
    static func headers(
        for body: [UInt8],
        batchID: String,
        identity: SigningIdentity = pki.senderIdentity
    ) throws -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[idempotencyKey] = batchID
        headers[contentDigest] = ContentDigest.header(for: body)
        headers[jwsSignature] = try DetachedJWS.sign(payload: body, identity: identity)
        return headers
    }

    /// Posts a signed batch.
    static func post(
        _ client: some TestClientProtocol,
        _ body: [UInt8],
        batchID: String,
        headers: HTTPFields? = nil
    ) async throws -> TestResponse {
        let headers = try headers ?? Self.headers(for: body, batchID: batchID)
        return try await client.execute(
            uri: "/v1/batches",
            method: .post,
            headers: headers,
            body: ByteBuffer(bytes: body)
        )
    }
}

extension TestResponse {
    var bytes: [UInt8] { Array(body.readableBytesView) }

    var json: JSONValue? { try? JSONParser.parse(bytes) }
}

extension JSONValue {
    /// This value with the member at `path` replaced by `value` (or removed when `value` is `nil`).
    func setting(_ path: [String], to value: JSONValue?) -> JSONValue {
        guard let key = path.first, case .object(var object) = self else { return self }
        let index = object.members.firstIndex { $0.key == key }
        if path.count == 1 {
            switch (index, value) {
            case (let index?, let value?): object.members[index].value = value
            case (let index?, nil): object.members.remove(at: index)
            case (nil, let value?): object.members.append((key, value))
            case (nil, nil): break
            }
        } else if let index {
            object.members[index].value = object.members[index].value.setting(Array(path.dropFirst()), to: value)
        }
        return .object(object)
    }
}
