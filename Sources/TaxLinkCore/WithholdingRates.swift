/// Withholding rates of one business group, in basis points (1% = 100).
public struct GroupRates: Sendable, Hashable {
    public var vat: Int64
    public var pitResident: Int64
    public var pitNonResident: Int64

    public init(vat: Int64, pitResident: Int64, pitNonResident: Int64) {
        self.vat = vat
        self.pitResident = pitResident
        self.pitNonResident = pitNonResident
    }

    /// The PIT rate for a resident or a non-resident seller.
    public func pit(resident: Bool) -> Int64 { resident ? pitResident : pitNonResident }
}

/// The rates of one decree, in force from a date until a later table takes over.
public struct RateTable: Sendable, Hashable {
    /// The first instant the table applies to.
    public var effectiveFrom: Timestamp
    /// A name for reports, such as the decree's number.
    public var name: String
    public var rates: [BusinessGroup: GroupRates]

    public init(effectiveFrom: Timestamp, name: String, rates: [BusinessGroup: GroupRates]) {
        self.effectiveFrom = effectiveFrom
        self.name = name
        self.rates = rates
    }

    /// The rates of a group; a group the table does not list gets the unknown group's (the highest).
    public func rates(for group: BusinessGroup) -> GroupRates {
        rates[group] ?? rates[.unknown] ?? GroupRates(vat: 0, pitResident: 0, pitNonResident: 0)
    }

    /// Decree 117/2025/NĐ-CP, in force from 2025-07-01 (Vietnam time).
    public static let decree117: RateTable = RateTable(
        effectiveFrom: Timestamp(CivilTime(year: 2025, month: 7, day: 1), offset: Timestamp.vietnamOffset)!,
        name: "117/2025/NĐ-CP",
        rates: [
            .goods: GroupRates(vat: 100, pitResident: 50, pitNonResident: 100),
            .services: GroupRates(vat: 500, pitResident: 200, pitNonResident: 500),
            .transport: GroupRates(vat: 300, pitResident: 150, pitNonResident: 200),
            .other: GroupRates(vat: 200, pitResident: 100, pitNonResident: 200),
            .unknown: GroupRates(vat: 500, pitResident: 200, pitNonResident: 500),
        ]
    )
}

/// The effective-dated rate tables: each record uses the table in force at its `occurred_at`.
public struct RateSchedule: Sendable, Hashable {
    /// The tables, oldest first.
    public private(set) var tables: [RateTable]

    /// A schedule of `tables` (in any order; at least one).
    public init(tables: [RateTable]) {
        precondition(!tables.isEmpty, "a rate schedule needs a table")
        self.tables = tables.sorted { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// The rates in force today.
    public static let standard = RateSchedule(tables: [.decree117])

    /// The table in force at `instant`; before the first table, the first one.
    public func table(at instant: Timestamp) -> RateTable {
        tables.last { $0.effectiveFrom <= instant } ?? tables[0]
    }
}
