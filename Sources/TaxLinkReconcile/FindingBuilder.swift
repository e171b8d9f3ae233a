import Crypto
import TaxLinkCore
import TaxLinkStore

/// Makes findings with their stable id and severity.
enum FindingBuilder {
    /// `d-` and the first 16 hex digits of the SHA-256 of the code and the identifying key of the spec
    /// (record id; platform, period, seller and group; platform and seller; platform and order).
    static func id(_ code: DiscrepancyCode, _ key: [String]) -> String {
        let digest = SHA256.hash(data: Array(([code.rawValue] + key).joined(separator: "|").utf8))
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = Array("d-".utf8)
        for byte in digest.prefix(8) {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `critical` for a quarantining code, a `RECONCILE_ERROR` (something reconciliation could not check) or
    /// at least 1,000,000 đồng at risk, `warning` for any amount at risk, `info` otherwise.
    static func severity(_ code: DiscrepancyCode, amountAtRisk: Int64) -> FindingSeverity {
        if code.quarantines || code == .reconcileError || amountAtRisk >= 1_000_000 { return .critical }
        return amountAtRisk > 0 ? .warning : .info
    }

    /// A finding about one record.
    static func record(
        _ record: TransactionRecord,
        code: DiscrepancyCode,
        expected: JSONValue,
        actual: JSONValue,
        amountAtRisk: Int64,
        detail: String
    ) -> FindingContent {
        FindingContent(
            id: id(code, [record.recordID]),
            code: code,
            scope: .record,
            severity: severity(code, amountAtRisk: amountAtRisk),
            platform: record.platform,
            taxPeriod: record.taxPeriod.description,
            platformSellerID: record.seller.platformSellerID,
            category: nil,
            taxID: record.seller.nationalID ?? record.seller.taxCode,
            recordID: record.recordID,
            externalID: record.externalID,
            revision: record.revision,
            expected: expected,
            actual: actual,
            amountAtRisk: amountAtRisk,
            detail: detail
        )
    }

    /// A finding about a completed return still waiting for its sale, under the record id it will have.
    static func claim(
        _ claim: ReturnClaim,
        code: DiscrepancyCode,
        expected: JSONValue,
        actual: JSONValue,
        amountAtRisk: Int64,
        detail: String
    ) -> FindingContent {
        FindingContent(
            id: id(code, [claim.recordID]),
            code: code,
            scope: .record,
            severity: severity(code, amountAtRisk: amountAtRisk),
            platform: claim.platform,
            taxPeriod: TaxPeriod(containing: claim.completedAt).description,
            platformSellerID: nil,
            category: nil,
            taxID: nil,
            recordID: claim.recordID,
            externalID: claim.returnID,
            revision: nil,
            expected: expected,
            actual: actual,
            amountAtRisk: amountAtRisk,
            detail: detail
        )
    }

    /// A finding about one seller, period and business group.
    static func sellerPeriod(
        code: DiscrepancyCode,
        platform: String,
        period: TaxPeriod,
        sellerID: String,
        group: BusinessGroup,
        taxID: String?,
        expected: JSONValue,
        actual: JSONValue,
        amountAtRisk: Int64,
        detail: String
    ) -> FindingContent {
        FindingContent(
            id: id(code, [platform, period.description, sellerID, group.rawValue]),
            code: code,
            scope: .sellerPeriod,
            severity: severity(code, amountAtRisk: amountAtRisk),
            platform: platform,
            taxPeriod: period.description,
            platformSellerID: sellerID,
            category: group.rawValue,
            taxID: taxID,
            recordID: nil,
            externalID: nil,
            revision: nil,
            expected: expected,
            actual: actual,
            amountAtRisk: amountAtRisk,
            detail: detail
        )
    }
}
