import TaxLinkCore
import TaxLinkStore

/// Whether a reconciliation can reuse the last one's outcome.
///
/// Findings are a pure function of the stored inputs, the configuration and `asOf`, and `asOf` matters to
/// one rule only: `SETTLEMENT_MISSING` holds for a non-COD sale without settlement that completed more than
/// the grace before `asOf`. So when the inputs' stamp (``TaxLinkStore/ReconciliationSnapshot/inputStamp()``
/// and the configuration) equals the mark the last exclusive run left, and no unsettled sale completed
/// between the two runs' grace thresholds, a full run would compute exactly the findings stored, and its
/// sync would change nothing: the run is skipped and reports what a full run would (every finding
/// unchanged, nothing released).
///
/// Recomputing only the sellers or periods that changed is not done: refunds look up their sales
/// across sellers and periods, declarations compare whole platform-periods, seller conflicts span every
/// period and settlement orphans every order, so a partial run needs the per-seller ledger and per-record
/// outcomes of the last run kept in the store; the whole-run skip is what the re-run aim needs.
extension Reconciler {
    /// What the snapshot decided: reuse the last outcome, or the one just computed.
    enum Step: Sendable {
        case unchanged(ReconciliationSummary, mark: ReconciliationMark)
        case computed(ReconciliationPass.Outcome, inputs: String)
    }

    /// Computes the outcome of `snapshot`, unless `incremental` and the last run's mark shows nothing changed.
    static func step(
        _ snapshot: any ReconciliationSnapshot,
        asOf: Timestamp,
        configuration: Configuration,
        incremental: Bool
    ) throws -> Step {
        let inputs = try snapshot.inputStamp() + "; " + stamp(configuration)
        if incremental, let mark = try snapshot.reconciliationMark(), mark.inputs == inputs,
            let summary = MarkSummary(mark.summary),
            try !settlementGraceCrossed(snapshot, from: mark.asOf, to: asOf, configuration: configuration)
        {
            var sync = FindingsSyncSummary()
            sync.unchanged = summary.found
            return .unchanged(
                ReconciliationSummary(asOf: asOf, counts: summary.counts, sync: sync, releasedRecords: 0),
                mark: mark
            )
        }
        return .computed(try ReconciliationPass.run(snapshot, asOf: asOf, configuration: configuration), inputs: inputs)
    }

    /// Whether a non-COD sale without settlement completed between the grace thresholds of `from` and
    /// `to`, so `SETTLEMENT_MISSING` holds for it at one of them and not at the other.
    private static func settlementGraceCrossed(
        _ snapshot: any ReconciliationSnapshot,
        from: Timestamp,
        to: Timestamp,
        configuration: Configuration
    ) throws -> Bool {
        let grace = configuration.settlementGraceSeconds
        let (first, overflowFirst) = from.seconds.subtractingReportingOverflow(grace)
        let (second, overflowSecond) = to.seconds.subtractingReportingOverflow(grace)
        guard !overflowFirst, !overflowSecond else { return true }
        guard first != second else { return false }
        return try snapshot.hasUnsettledSales(completedFrom: min(first, second), before: max(first, second))
    }

    /// The configuration as far as findings depend on it: the rate tables and the settlement grace.
    private static func stamp(_ configuration: Configuration) -> String {
        let tables = configuration.rates.tables.map { table in
            let rates = BusinessGroup.allCases.map { group in
                let rates = table.rates(for: group)
                return "\(group.rawValue) \(rates.vat)/\(rates.pitResident)/\(rates.pitNonResident)"
            }
            return "from \(table.effectiveFrom.seconds): \(rates.joined(separator: ", "))"
        }
        return "rates \(tables.joined(separator: "; ")); grace \(configuration.settlementGraceSeconds)"
    }

    /// The part of a summary a mark keeps: findings per code and how many distinct findings there were.
    struct MarkSummary {
        var counts: [DiscrepancyCode: Int]
        var found: Int

        init(counts: [DiscrepancyCode: Int], found: Int) {
            self.counts = counts
            self.found = found
        }

        /// Reads ``text``; `nil` when it is not one (the run is then computed).
        init?(_ text: String) {
            guard let value = try? JSONParser.parse(Array(text.utf8)), case .object(let counts)? = value["counts"],
                case .number(let found)? = value["found"], let found = Int(found)
            else { return nil }
            var parsed: [DiscrepancyCode: Int] = [:]
            for member in counts.members {
                guard let code = DiscrepancyCode(rawValue: member.key), case .number(let count) = member.value,
                    let count = Int(count)
                else { return nil }
                parsed[code] = count
            }
            self.counts = parsed
            self.found = found
        }

        /// `{"counts":{…},"found":n}`.
        var text: String {
            let summary = ReconciliationSummary(
                asOf: Timestamp(unixSeconds: 0),
                counts: counts,
                sync: FindingsSyncSummary(),
                releasedRecords: 0
            )
            return CanonicalJSON.string(.object(["counts": summary.countsJSON, "found": .int(found)]))
        }
    }
}
