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
    ///
    /// Every sum is checked: once one leaves ±``TaxLinkCore/VND/maximumMagnitude`` the figures are
    /// ``outOfRange`` (reported as `RECONCILE_ERROR`, never compared) and stop changing.
    struct Figures {
        var revenue: Int64 = 0
        var expected = Withholding(vat: 0, pit: 0)
        /// The reported withholding, split per group in proportion to the expected amounts.
        var reported = Withholding(vat: 0, pit: 0)
        var records = 0
        var latest: Latest?
        /// Whether a sum left the range: the figures above are then meaningless.
        var outOfRange = false

        mutating func add(sign: Int64, share: Share, record: TransactionRecord) {
            accumulate(
                revenue: sign * share.revenue,
                expected: Withholding(vat: sign * share.expected.vat, pit: sign * share.expected.pit),
                reported: Withholding(vat: sign * share.reported.vat, pit: sign * share.reported.pit),
                outOfRange: false
            )
            records += 1
            note(record)
        }

        /// Adds amounts to the sums, or marks the figures out of range when a sum leaves it.
        private mutating func accumulate(revenue: Int64, expected: Withholding, reported: Withholding, outOfRange: Bool)
        {
            guard !self.outOfRange, !outOfRange,
                let newRevenue = VND.sum(self.revenue, revenue),
                let expectedVAT = VND.sum(self.expected.vat, expected.vat),
                let expectedPIT = VND.sum(self.expected.pit, expected.pit),
                let reportedVAT = VND.sum(self.reported.vat, reported.vat),
                let reportedPIT = VND.sum(self.reported.pit, reported.pit)
            else {
                self.outOfRange = true
                return
            }
            self.revenue = newRevenue
            self.expected = Withholding(vat: expectedVAT, pit: expectedPIT)
            self.reported = Withholding(vat: reportedVAT, pit: reportedPIT)
        }

        /// Keeps the identity of the most recent record: completion time, then external id, then kind (a
        /// total order, so the outcome does not depend on the order records are added or merged in).
        mutating func note(_ record: TransactionRecord) {
            if let latest, record.occurredAt < latest.at { return }
            note(
                Latest(
                    at: record.occurredAt,
                    externalID: record.externalID,
                    kind: record.kind,
                    taxCode: record.seller.taxCode,
                    nationalID: record.seller.nationalID,
                    sellerName: record.seller.name,
                    resident: record.seller.resident
                )
            )
        }

        mutating func note(_ candidate: Latest) {
            if let latest, !(candidate.isAfter(latest)) { return }
            latest = candidate
        }

        /// Adds another part's figures for the same seller, period and group.
        mutating func merge(_ other: Figures) {
            accumulate(
                revenue: other.revenue,
                expected: other.expected,
                reported: other.reported,
                outOfRange: other.outOfRange
            )
            records += other.records
            if let latest = other.latest { note(latest) }
        }

        var taxID: String? { latest.flatMap { $0.nationalID ?? $0.taxCode } }
        var taxCode: String? { latest?.taxCode }
        var nationalID: String? { latest?.nationalID }
        var sellerName: String { latest?.sellerName ?? "" }
        var resident: Bool { latest?.resident ?? true }
    }

    /// The identity carried by the most recent record of a seller, period and group.
    struct Latest {
        var at: Timestamp
        var externalID: String
        var kind: RecordKind
        var taxCode: String?
        var nationalID: String?
        var sellerName: String
        var resident: Bool

        func isAfter(_ other: Latest) -> Bool {
            if at != other.at { return at > other.at }
            if externalID != other.externalID { return externalID > other.externalID }
            return kind == .sale && other.kind == .refund
        }
    }

    struct SellerState {
        /// Distinct normalised tax ids across the latest revisions, in the order first seen.
        var taxIDs: [String] = []
        var figures: [PeriodGroup: Figures] = [:]
    }

    private(set) var sellers: [SellerKey: SellerState] = [:]

    /// One business group's part of a record: its revenue, expected taxes and reported withholding.
    struct Share: Equatable {
        var group: BusinessGroup
        var revenue: Int64
        var expected: Withholding
        var reported: Withholding
    }

    /// The group shares of a record whose expected withholding is already known.
    static func shares(of record: TransactionRecord, expected: ExpectedWithholding) -> [Share] {
        if expected.groups.count == 1, let share = expected.groups.first {
            return [
                Share(
                    group: share.group,
                    revenue: share.revenue,
                    expected: Withholding(vat: share.vat, pit: share.pit),
                    reported: record.withholding
                )
            ]
        }
        let split = expected.split(record.withholding)
        return expected.groups.map { share in
            Share(
                group: share.group,
                revenue: share.revenue,
                expected: Withholding(vat: share.vat, pit: share.pit),
                reported: split[share.group] ?? Withholding(vat: 0, pit: 0)
            )
        }
    }

    /// The group shares of a record. Most records have a single business group; their shares are computed
    /// directly — the whole taxable revenue at the group's rates, everything reported in that group — which
    /// is what ``TaxLinkCore/ExpectedWithholding`` gives for one group (a test holds the two equal). Records
    /// with several groups go through ``TaxLinkCore/ExpectedWithholding``.
    static func shares(of record: TransactionRecord, rates: RateSchedule) -> [Share] {
        guard let group = record.lines.first?.category, record.lines.allSatisfy({ $0.category == group }) else {
            return shares(of: record, expected: ExpectedWithholding(record: record, schedule: rates))
        }
        let revenue = record.amounts.taxableRevenue
        var expected = Withholding(vat: 0, pit: 0)
        if record.seller.type.isWithheld {
            let groupRates = rates.table(at: record.occurredAt).rates(for: group)
            expected.vat = Allocation.applyRate(revenue, basisPoints: groupRates.vat)
            expected.pit = Allocation.applyRate(revenue, basisPoints: groupRates.pit(resident: record.seller.resident))
        }
        return [Share(group: group, revenue: revenue, expected: expected, reported: record.withholding)]
    }

    /// Adds a record's part: a sale adds, a refund subtracts.
    mutating func add(_ record: TransactionRecord, shares: [Share]) {
        let sign: Int64 = record.kind == .sale ? 1 : -1
        let period = record.taxPeriod
        let taxID = record.seller.nationalID ?? record.seller.taxCode
        let key = SellerKey(platform: record.platform, sellerID: record.seller.platformSellerID)
        modify(key) { state in
            if let taxID, !state.taxIDs.contains(taxID) { state.taxIDs.append(taxID) }
            for share in shares {
                state.figures[PeriodGroup(period: period, group: share.group), default: Figures()].add(
                    sign: sign,
                    share: share,
                    record: record
                )
            }
        }
    }

    /// Adds another ledger's sellers (a part of the records reconciled separately).
    mutating func merge(_ other: SellerLedger) {
        for (key, state) in other.sellers {
            modify(key) { mine in
                for taxID in state.taxIDs where !mine.taxIDs.contains(taxID) { mine.taxIDs.append(taxID) }
                for (slot, figures) in state.figures { mine.figures[slot, default: Figures()].merge(figures) }
            }
        }
    }

    private mutating func modify(_ key: SellerKey, _ body: (inout SellerState) -> Void) {
        body(&sellers[key, default: SellerState()])
    }

    /// Every seller, period and group whose figures left the range, sorted.
    func outOfRange() -> [(key: SellerKey, slot: PeriodGroup)] {
        var result: [(key: SellerKey, slot: PeriodGroup)] = []
        for (key, state) in sellers {
            for (slot, figures) in state.figures where figures.outOfRange { result.append((key, slot)) }
        }
        return result.sorted { $0.key != $1.key ? $0.key < $1.key : $0.slot < $1.slot }
    }

    /// One seller and group's figures.
    typealias Entry = (sellerID: String, group: BusinessGroup, figures: Figures)

    /// The figures of every seller and group of one platform and period, sorted by group then seller.
    func figures(platform: String, period: TaxPeriod) -> [Entry] {
        (byPlatformPeriod()["\(platform)|\(period)"] ?? []).sorted {
            $0.group != $1.group ? $0.group < $1.group : $0.sellerID < $1.sellerID
        }
    }

    /// Every seller and group's figures, per `platform|period`, in no particular order.
    func byPlatformPeriod() -> [String: [Entry]] {
        var result: [String: [Entry]] = [:]
        for (key, state) in sellers {
            for (slot, figures) in state.figures {
                result["\(key.platform)|\(slot.period)", default: []].append((key.sellerID, slot.group, figures))
            }
        }
        return result
    }
}
