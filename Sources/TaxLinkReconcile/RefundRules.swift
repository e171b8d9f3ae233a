import TaxLinkCore
import TaxLinkStore

/// `REFUND_ORPHAN` and `REFUND_EXCEEDS_SALE`.
enum RefundRules {
    /// Checks every refund against the latest revision of its sale.
    static func findings(
        refunds: [TransactionRecord],
        snapshot: any ReconciliationSnapshot,
        rates: RateSchedule
    ) throws -> [FindingContent] {
        guard !refunds.isEmpty else { return [] }
        let saleIDs = Set(
            refunds.compactMap { refund in refund.originalExternalID.map { saleID(refund.platform, $0) } }
        )
        var sales: [String: TransactionRecord] = [:]
        // Sales the pass reported as RECONCILE_ERROR: their refunds are not orphans, just not checkable.
        var unreadable: Set<String> = []
        try snapshot.latestFacts(recordIDs: saleIDs.sorted()) { row, facts in
            guard row.kind == .sale else { return }
            guard let sale = try? RecordRowDecoder.computable(row, facts: facts) else {
                unreadable.insert("\(row.platform):\(row.kind.rawValue):\(row.externalID)")
                return
            }
            sales[sale.recordID] = sale
        }
        var findings: [FindingContent] = []
        var bySale: [String: [TransactionRecord]] = [:]
        for refund in refunds {
            if let original = refund.originalExternalID, unreadable.contains(saleID(refund.platform, original)) {
                continue
            }
            guard let original = refund.originalExternalID, let sale = sales[saleID(refund.platform, original)] else {
                findings.append(
                    FindingBuilder.record(
                        refund,
                        code: .refundOrphan,
                        expected: .optional(refund.originalExternalID.map { saleID(refund.platform, $0) }),
                        actual: nil,
                        amountAtRisk: refund.withholding.total,
                        detail: "a refund whose sale has no record"
                    )
                )
                continue
            }
            bySale[sale.recordID, default: []].append(refund)
        }
        for (saleRecordID, list) in bySale.sorted(by: { $0.key < $1.key }) {
            guard let sale = sales[saleRecordID] else { continue }
            let cap = sale.amounts.taxableRevenue
            var running: Int64 = 0
            let ordered = list.sorted {
                $0.occurredAt != $1.occurredAt ? $0.occurredAt < $1.occurredAt : $0.recordID < $1.recordID
            }
            for refund in ordered {
                let amount = refund.amounts.taxableRevenue
                guard
                    let total = findings.withinCeiling(
                        VND.sum(running, amount),
                        of: refund,
                        reason: "the refunds of \(saleRecordID) total beyond \(VND.ceilingDescription)"
                    )
                else { break }
                running = total
                guard running > cap else { continue }
                let excess = min(amount, running - cap)
                findings.append(
                    FindingBuilder.record(
                        refund,
                        code: .refundExceedsSale,
                        expected: .int(cap),
                        actual: .int(running),
                        amountAtRisk: tax(on: excess, atRatesOf: sale, rates: rates),
                        detail: "refunds of \(saleRecordID) total \(running), above its taxable_revenue of \(cap)"
                    )
                )
            }
        }
        return findings
    }

    /// A completed return still waiting for its sale, under the record id it will have. A claim stored
    /// before the amount ceiling, whose reversal VAT + PIT leaves it, is a `RECONCILE_ERROR` instead.
    static func orphan(claim: ReturnClaim) -> FindingContent {
        guard let amount = VND.sum(claim.reversal.vat, claim.reversal.pit) else {
            return FindingBuilder.reconcileError(claim: claim)
        }
        return FindingBuilder.claim(
            claim,
            code: .refundOrphan,
            expected: .string(saleID(claim.platform, claim.orderID)),
            actual: nil,
            amountAtRisk: amount,
            detail: "a completed return whose sale has no record"
        )
    }

    /// `amount` split over the sale's business groups in proportion to their revenue, each share taxed at
    /// the group's VAT and PIT rates of the sale (0 for enterprises).
    static func tax(on amount: Int64, atRatesOf sale: TransactionRecord, rates: RateSchedule) -> Int64 {
        guard sale.seller.type.isWithheld, amount > 0 else { return 0 }
        let groups = ExpectedWithholding(record: sale, schedule: rates).groups
        let table = rates.table(at: sale.occurredAt)
        let shares = Allocation.proportional(total: amount, weights: groups.map { max(0, $0.revenue) })
        var total: Int64 = 0
        for (group, share) in zip(groups, shares) {
            let groupRates = table.rates(for: group.group)
            total += Allocation.applyRate(share, basisPoints: groupRates.vat)
            total += Allocation.applyRate(share, basisPoints: groupRates.pit(resident: sale.seller.resident))
        }
        return total
    }

    private static func saleID(_ platform: String, _ externalID: String) -> String {
        "\(platform):\(RecordKind.sale.rawValue):\(externalID)"
    }
}
