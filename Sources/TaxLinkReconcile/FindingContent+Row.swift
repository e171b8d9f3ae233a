import Crypto
import TaxLinkCore
import TaxLinkStore

extension FindingContent {
    /// The content as the store keeps it: JSON as canonical text, and a fingerprint of every field, so a
    /// sync can tell an unchanged finding from its stored version without reading its content.
    var row: FindingContentRow {
        let expected = CanonicalJSON.string(expected)
        let actual = CanonicalJSON.string(actual)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        func add(_ text: String?) {
            if let text { bytes.append(contentsOf: text.utf8) } else { bytes.append(0) }
            bytes.append(0x1F)
        }
        for text in [
            id, code.rawValue, scope.rawValue, severity.rawValue, platform, taxPeriod, platformSellerID, category,
            taxID, recordID, externalID, revision.map(String.init), expected, actual, String(amountAtRisk), detail,
        ] {
            add(text)
        }
        return FindingContentRow(
            id: id,
            code: code.rawValue,
            scope: scope.rawValue,
            severity: severity.rawValue,
            platform: platform,
            taxPeriod: taxPeriod,
            platformSellerID: platformSellerID,
            category: category,
            taxID: taxID,
            recordID: recordID,
            externalID: externalID,
            revision: revision,
            expected: expected,
            actual: actual,
            amountAtRisk: amountAtRisk,
            detail: detail,
            fingerprint: hexString(SHA256.hash(data: bytes))
        )
    }

    /// The content of a stored row. Throws ``ReconcileError`` for an unknown code or JSON that does not parse.
    init(_ row: FindingContentRow) throws(ReconcileError) {
        guard let code = DiscrepancyCode(rawValue: row.code) else {
            throw .corruptFinding("findings.code: unknown code \(row.code)")
        }
        func json(_ column: String, _ text: String) throws(ReconcileError) -> JSONValue {
            do {
                return try JSONParser.parse(Array(text.utf8))
            } catch {
                throw .corruptFinding("findings.\(column) of \(row.id): \(error)")
            }
        }
        self.init(
            id: row.id,
            code: code,
            scope: FindingScope(rawValue: row.scope) ?? .record,
            severity: FindingSeverity(rawValue: row.severity) ?? .info,
            platform: row.platform,
            taxPeriod: row.taxPeriod,
            platformSellerID: row.platformSellerID,
            category: row.category,
            taxID: row.taxID,
            recordID: row.recordID,
            externalID: row.externalID,
            revision: row.revision,
            expected: try json("expected", row.expected),
            actual: try json("actual", row.actual),
            amountAtRisk: row.amountAtRisk,
            detail: row.detail
        )
    }
}

extension StoredFinding {
    /// The finding of a stored row (an unknown status reads as open).
    init(_ row: FindingRow) throws(ReconcileError) {
        self.init(
            content: try FindingContent(row.content),
            status: FindingStatus(rawValue: row.workflow.status) ?? .open,
            detectedAt: row.workflow.detectedAt,
            updatedAt: row.workflow.updatedAt,
            active: row.workflow.active,
            resolution: row.workflow.resolution
        )
    }
}

extension FindingHistoryEntry {
    /// The entry of a stored history row (an unknown status reads as open).
    init(_ row: FindingHistoryRow) {
        self.init(
            at: row.at,
            from: row.fromStatus.flatMap(FindingStatus.init),
            to: FindingStatus(rawValue: row.toStatus) ?? .open,
            actor: row.actor,
            note: row.note,
            reason: row.reason
        )
    }

    /// The row the store keeps.
    var row: FindingHistoryRow {
        FindingHistoryRow(
            at: at,
            fromStatus: from?.rawValue,
            toStatus: to.rawValue,
            actor: actor,
            note: note,
            reason: reason
        )
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)

/// Lower-case hex of a digest.
private func hexString(_ digest: SHA256.Digest) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(64)
    for byte in digest {
        bytes.append(hexDigits[Int(byte >> 4)])
        bytes.append(hexDigits[Int(byte & 0xF)])
    }
    return String(decoding: bytes, as: UTF8.self)
}
