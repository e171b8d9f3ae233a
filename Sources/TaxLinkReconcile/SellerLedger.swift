import TaxLinkCore

/// What reconciliation keeps per seller: the tax ids its records carry, and its net figures per period
/// and business group (sales minus refunds, each record in the period it completed).
struct SellerLedger {
    struct SellerKey: Hashable, Comparable {
        var platform: String
        var sellerID: String

        static func < (lhs: SellerKey, rhs: SellerKey) -> Bool {
            (lhs.platform, lhs.sellerID) < (rhs.platform, rhs.sellerID)
        }
    }

    struct PeriodGroup: Hashable, Comparable {
        var period: TaxPeriod
        var group: BusinessGroup

        static func < (lhs: PeriodGroup, rhs: PeriodGroup) -> Bool {
            lhs.period != rhs.period ? lhs.period < rhs.period : lhs.group < rhs.group
        }
    }

    /// Net figures of one seller, period and group.
    struct Figures {
        var revenue: Int64 = 0
        var expected = Withholding(vat: 0, pit: 0)
        /// The reported withholding, split per group in proportion to the expected amounts.
        var reported = Withholding(vat: 0, pit: 0)
        var records = 0
        /// The tax id and name of the most recent record (completion time, then record id).
        var taxID: String?
        var taxCode: String?
        var nationalID: String?
        var sellerName = ""
        var resident = true
        var latest = (Timestamp(unixSeconds: .min), "")

        mutating func add(
            sign: Int64, share: ExpectedWithholding.GroupShare, reported split: Withholding, record: TransactionRecord
        ) {
            revenue += sign * share.revenue
            expected.vat += sign * share.vat
            expected.pit += sign * share.pit
            reported.vat += sign * split.vat
            reported.pit += sign * split.pit
            records += 1
            note(record)
        }

        mutating func note(_ record: TransactionRecord) {
            let key = (record.occurredAt, record.externalID)
            guard key.0 > latest.0 || (key.0 == latest.0 && key.1 >= latest.1) else { return }
            latest = key
            taxID = record.seller.nationalID ?? record.seller.taxCode
            taxCode = record.seller.taxCode
            nationalID = record.seller.nationalID
            sellerName = record.seller.name
            resident = record.seller.resident
        }
    }

    struct SellerState {
        /// Distinct normalised tax ids across the latest revisions, in the order first seen.
        var taxIDs: [String] = []
        var figures: [PeriodGroup: Figures] = [:]
    }

    private(set) var sellers: [SellerKey: SellerState] = [:]

    /// Adds a record's part: a sale adds, a refund subtracts.
    mutating func add(_ record: TransactionRecord, expected: ExpectedWithholding) {
        let sign: Int64 = record.kind == .sale ? 1 : -1
        let period = record.taxPeriod
        let reported = expected.split(record.withholding)
        let taxID = record.seller.nationalID ?? record.seller.taxCode
        let key = SellerKey(platform: record.platform, sellerID: record.seller.platformSellerID)
        modify(key) { state in
            if let taxID, !state.taxIDs.contains(taxID) { state.taxIDs.append(taxID) }
            for share in expected.groups {
                let split = reported[share.group] ?? Withholding(vat: 0, pit: 0)
                state.figures[PeriodGroup(period: period, group: share.group), default: Figures()].add(
                    sign: sign, share: share, reported: split, record: record)
            }
        }
    }

    private mutating func modify(_ key: SellerKey, _ body: (inout SellerState) -> Void) {
        body(&sellers[key, default: SellerState()])
    }

    /// The figures of every seller and group of one platform and period.
    func figures(platform: String, period: TaxPeriod) -> [(sellerID: String, group: BusinessGroup, figures: Figures)] {
        var result: [(sellerID: String, group: BusinessGroup, figures: Figures)] = []
        for (key, state) in sellers where key.platform == platform {
            for (slot, figures) in state.figures where slot.period == period {
                result.append((key.sellerID, slot.group, figures))
            }
        }
        return result.sorted { ($0.group, $0.sellerID) < ($1.group, $1.sellerID) }
    }
}
