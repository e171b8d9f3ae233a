import Foundation
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore

/// Deterministic synthetic data: four platforms over three periods, mostly clean, with a few per cent of
/// every kind of discrepancy.
struct SyntheticData {
    static let asOf = Timestamp(unixSeconds: 1_772_668_800)  // 2026-03-05T00:00:00Z
    private static let start: Int64 = 1_764_522_000  // 2025-12-01 00:00 Vietnam time
    private static let span: Int64 = 88 * 86_400
    private static let platforms = ["shopee", "lazada", "tiktokshop", "tiki"]
    private static let groups: [BusinessGroup] = [.goods, .goods, .goods, .services, .transport, .other]

    private struct Key: Hashable {
        var platform: String
        var period: TaxPeriod
        var seller: Int
        var group: BusinessGroup
    }

    private var random: SeededGenerator
    private let sellersPerPlatform: Int
    private var net: [Key: (revenue: Int64, vat: Int64, pit: Int64)] = [:]
    private var settlementNumber = 0

    init(seed: UInt64, sellersPerPlatform: Int) {
        random = SeededGenerator(seed: seed)
        self.sellersPerPlatform = sellersPerPlatform
    }

    mutating func fill(_ store: any Storage, orders: Int) async throws {
        let feed = NewFeed(source: "bench/orders", receivedAt: Self.asOf)
        _ = try await store.storeFeed(feed, resolving: RefundResolution(rates: .standard)) { sink in
            var items: [IngestItem] = []
            var settlements: [Settlement] = []
            for number in 0..<orders {
                let platform = Self.platforms[number % Self.platforms.count]
                let sale = makeSale(number: number, platform: platform, feedID: sink.feedID)
                items.append(.record(PreparedRecord(assessing: sale, rates: .standard)))
                if !sale.cashOnDelivery, random.chance(95) { settlements.append(settlement(for: sale.record)) }
                if random.chance(5) {
                    items.append(
                        .record(
                            PreparedRecord(
                                assessing: refund(of: sale.record, orphan: random.chance(1)),
                                rates: .standard
                            )
                        )
                    )
                }
                if random.chance(0.1) {
                    var orphan = settlement(for: sale.record)
                    orphan.orderID = "X" + orphan.orderID
                    settlements.append(orphan)
                }
                if items.count >= 5_000 {
                    try await sink.send(.items(items))
                    try await sink.send(.settlements(settlements))
                    items.removeAll(keepingCapacity: true)
                    settlements.removeAll(keepingCapacity: true)
                }
            }
            try await sink.send(.items(items))
            try await sink.send(.settlements(settlements))
            try await sendDeclarations(to: sink)
            return FeedEnd(received: orders, bodySHA256: "")
        }
    }

    private mutating func makeSale(number: Int, platform: String, feedID: String) -> AdaptedRecord {
        let sellerNumber = Int(random.next() % UInt64(sellersPerPlatform))
        let seller = makeSeller(sellerNumber, platform: platform)
        let group = random.chance(2) ? .unknown : Self.groups[sellerNumber % Self.groups.count]
        let occurredAt = Timestamp(unixSeconds: Self.start + Int64(random.next() % UInt64(Self.span)))
        let lines = (0..<(1 + Int(random.next() % 3))).map { index in
            Line(
                sku: "SKU-\(index)",
                name: "Sản phẩm \(index)",
                category: group,
                quantity: 1,
                amount: 10_000 * Int64(1 + random.next() % 200)
            )
        }
        let gross = lines.reduce(0) { $0 + $1.amount }
        let sellerDiscount = random.chance(20) ? gross / 10 : 0
        let shipping: Int64 = 15_000
        var buyerPaid = gross - sellerDiscount + shipping
        if random.chance(1) { buyerPaid += 1_000 }
        var record = TransactionRecord(
            platform: platform,
            kind: .sale,
            externalID: "\(platform.prefix(2).uppercased())\(100_000_000 + number)",
            occurredAt: occurredAt,
            seller: seller,
            lines: lines,
            amounts: Amounts(
                gross: gross,
                sellerDiscount: sellerDiscount,
                platformDiscount: 0,
                shippingFee: shipping,
                buyerPaid: buyerPaid,
                platformFees: gross / 20
            ),
            withholding: Withholding(vat: 0, pit: 0),
            source: RecordSource(feedID: feedID, receivedAt: occurredAt)
        )
        record.withholding = reported(for: record)
        note(record, seller: sellerNumber)
        return AdaptedRecord(record: record, cashOnDelivery: random.chance(30))
    }

    private mutating func reported(for record: TransactionRecord) -> Withholding {
        let expected = ExpectedWithholding(record: record)
        if random.chance(1) { return Withholding(vat: 0, pit: 0) }
        if random.chance(2) { return Withholding(vat: expected.vat + 500, pit: expected.pit) }
        return Withholding(vat: expected.vat, pit: expected.pit)
    }

    private mutating func makeSeller(_ number: Int, platform: String) -> Seller {
        var local = SeededGenerator(seed: UInt64(number) &* 7_919 &+ UInt64(platform.utf8.count))
        let type: SellerType = number % 10 == 0 ? .enterprise : (number % 10 == 1 ? .individual : .household)
        var taxCode: String? = Self.taxCode(&local)
        var nationalID: String? = nil
        if type == .individual {
            taxCode = nil
            nationalID = String(100_000_000_000 + local.next() % 899_999_999_999)
        }
        if number % 97 == 3 { taxCode = nil; nationalID = nil }
        if number % 89 == 5 { taxCode = "12345" }
        return Seller(
            platformSellerID: "S\(number)",
            taxCode: taxCode,
            nationalID: nationalID,
            name: "Hộ kinh doanh số \(number)",
            type: type,
            resident: number % 13 != 0
        )
    }

    /// A valid ten-digit tax code.
    private static func taxCode(_ random: inout SeededGenerator) -> String {
        let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]
        while true {
            let digits = (0..<9).map { _ in Int(random.next() % 10) }
            let check = 10 - zip(weights, digits).reduce(0) { $0 + $1.0 * $1.1 } % 11
            if check < 10, digits[2...8].contains(where: { $0 != 0 }) {
                return (digits + [check]).map(String.init).joined()
            }
        }
    }

    private mutating func refund(of sale: TransactionRecord, orphan: Bool) -> AdaptedRecord {
        let amount = random.chance(10) ? sale.amounts.taxableRevenue + 10_000 : sale.amounts.taxableRevenue / 2
        var record = TransactionRecord(
            platform: sale.platform,
            kind: .refund,
            externalID: "R" + sale.externalID,
            originalExternalID: orphan ? "MISSING" + sale.externalID : sale.externalID,
            occurredAt: sale.occurredAt.adding(seconds: 2 * 86_400),
            seller: sale.seller,
            lines: [Line(sku: "", name: "", category: sale.lines[0].category, quantity: 1, amount: amount)],
            amounts: Amounts(
                gross: amount,
                sellerDiscount: 0,
                platformDiscount: 0,
                shippingFee: 0,
                buyerPaid: amount,
                platformFees: 0
            ),
            withholding: Withholding(vat: 0, pit: 0),
            source: RecordSource(feedID: sale.source.feedID, receivedAt: sale.occurredAt.adding(seconds: 2 * 86_400))
        )
        let expected = ExpectedWithholding(record: record)
        record.withholding = Withholding(vat: expected.vat, pit: expected.pit)
        note(record, seller: Int(sale.seller.platformSellerID.dropFirst()) ?? 0)
        return AdaptedRecord(record: record, cashOnDelivery: false)
    }

    private mutating func note(_ record: TransactionRecord, seller: Int) {
        let expected = ExpectedWithholding(record: record)
        let split = expected.split(record.withholding)
        let sign: Int64 = record.kind == .sale ? 1 : -1
        for share in expected.groups {
            let key = Key(platform: record.platform, period: record.taxPeriod, seller: seller, group: share.group)
            let tax = split[share.group] ?? Withholding(vat: 0, pit: 0)
            let old = net[key] ?? (0, 0, 0)
            net[key] = (old.revenue + sign * share.revenue, old.vat + sign * tax.vat, old.pit + sign * tax.pit)
        }
    }

    private mutating func settlement(for sale: TransactionRecord) -> Settlement {
        settlementNumber += 1
        let amount = random.chance(1) ? sale.amounts.buyerPaid - 1_000 : sale.amounts.buyerPaid
        return Settlement(
            gateway: "vnpay",
            transactionNo: String(10_000_000 + settlementNumber),
            reference: "REF\(settlementNumber)",
            platform: sale.platform,
            orderID: sale.externalID,
            amount: amount,
            paidAt: sale.occurredAt.adding(seconds: -600),
            bankCode: "NCB"
        )
    }

    private mutating func sendDeclarations(to sink: FeedSink) async throws {
        var byPlatformPeriod: [String: [Declaration.Row]] = [:]
        for (key, figures) in net.sorted(by: { ($0.key.platform, $0.key.seller) < ($1.key.platform, $1.key.seller) }) {
            if random.chance(0.5) { continue }
            let off: Int64 = random.chance(1) ? 5_000 : 0
            byPlatformPeriod["\(key.platform)|\(key.period)", default: []].append(
                Declaration.Row(
                    platformSellerID: "S\(key.seller)",
                    sellerName: "Hộ kinh doanh số \(key.seller)",
                    taxID: nil,
                    resident: true,
                    group: key.group,
                    revenue: figures.revenue + off,
                    vat: figures.vat,
                    pit: figures.pit
                )
            )
        }
        for (name, rows) in byPlatformPeriod.sorted(by: { $0.key < $1.key }) {
            let parts = name.split(separator: "|").map(String.init)
            guard let period = TaxPeriod(parts[1]) else { continue }
            try await sink.send(.declaration(Declaration(platform: parts[0], period: period, rows: rows)))
        }
    }
}
