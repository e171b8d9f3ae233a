import TaxLinkCore
import TaxLinkStore

/// Σ the settlements of every order, read once before the pass: each sale looks up its settled amount
/// here, and the orders no sale met are the candidates for `SETTLEMENT_ORPHAN`.
struct SettlementIndex: Sendable {
    /// platform → order id → slot in ``amounts``.
    private var slots: [String: [String: Int]] = [:]
    private var amounts: [Int64] = []

    /// The settled orders of `snapshot`.
    init(_ snapshot: any ReconciliationSnapshot) throws {
        try snapshot.forEachSettledOrder { add($0) }
    }

    /// An index of `orders` (the last of an order counts).
    init(_ orders: [SettledOrderRow]) {
        orders.forEach { add($0) }
    }

    private mutating func add(_ order: SettledOrderRow) {
        slots[order.platform, default: [:]][order.orderID] = amounts.count
        amounts.append(order.amount)
    }

    /// The slot and Σ settlements of an order, `nil` when no settlement names it.
    func settled(platform: String, orderID: String) -> (slot: Int, amount: Int64)? {
        guard let slot = slots[platform]?[orderID] else { return nil }
        return (slot, amounts[slot])
    }

    /// The order ids whose slot is not in `met`, per platform, sorted.
    func unmet(_ met: Set<Int>) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for (platform, orders) in slots {
            let unmet = orders.compactMap { met.contains($0.value) ? nil : $0.key }.sorted()
            if !unmet.isEmpty { result[platform] = unmet }
        }
        return result
    }
}

/// `SETTLEMENT_ORPHAN`: settlements that name an order never pushed as a sale, in any status.
enum SettlementRules {
    /// The orders of `index` that no latest sale met (`met`) and that `snapshot` never saw pushed as a sale.
    static func orphans(
        _ index: SettlementIndex,
        met: Set<Int>,
        snapshot: any ReconciliationSnapshot
    ) throws -> [FindingContent] {
        var findings: [FindingContent] = []
        for (platform, candidates) in index.unmet(met).sorted(by: { $0.key < $1.key }) {
            let pushed = try snapshot.pushedSaleOrders(platform: platform, orderIDs: candidates)
            let orphans = candidates.filter { !pushed.contains($0) }
            findings += try snapshot.settlementSummaries(platform: platform, orderIDs: orphans).map(orphan)
        }
        return findings
    }

    private static func orphan(_ settlement: SettlementSummaryRow) -> FindingContent {
        let code = DiscrepancyCode.settlementOrphan
        return FindingContent(
            id: FindingBuilder.id(code, [settlement.platform, settlement.orderID]),
            code: code,
            scope: .settlement,
            severity: FindingBuilder.severity(code, amountAtRisk: 0),
            platform: settlement.platform,
            taxPeriod: nil,
            platformSellerID: nil,
            category: nil,
            taxID: nil,
            recordID: nil,
            externalID: settlement.orderID,
            revision: nil,
            expected: nil,
            actual: .int(settlement.amount),
            amountAtRisk: 0,
            detail: "\(settlement.count) settlement(s) name an order that was never pushed"
        )
    }
}
