import Testing

@testable import TaxLinkCore

@Suite("Times and tax periods")
struct TimeTests {
    @Test func vietnamMonthBoundary() throws {
        let instant = try #require(Timestamp.parseISO8601("2026-01-31T18:00:00Z"))
        #expect(TaxPeriod(containing: instant).description == "2026-02")
        let before = try #require(Timestamp.parseISO8601("2026-01-31T16:59:59Z"))
        #expect(TaxPeriod(containing: before).description == "2026-01")
    }

    @Test(
        "ISO 8601 forms",
        arguments: [
            ("2026-01-05T00:24:00+07:00", "2026-01-04T17:24:00Z"),
            ("2026-01-16 11:26:51 +0700", "2026-01-16T04:26:51Z"),
            ("2026-01-09T03:15:00Z", "2026-01-09T03:15:00Z"),
            ("2026-01-09T03:15:00.987Z", "2026-01-09T03:15:00Z"),
            ("2024-02-29T23:00:00-05:00", "2024-03-01T04:00:00Z"),
        ])
    func parsesISO8601(text: String, utc: String) throws {
        #expect(try #require(Timestamp.parseISO8601(text)).iso8601 == utc)
    }

    @Test(arguments: ["2026-01-09T03:15:00", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "yesterday", ""])
    func refusesBadTimes(text: String) {
        #expect(Timestamp.parseISO8601(text) == nil)
    }

    @Test func vnpayCompactTime() throws {
        let instant = try #require(Timestamp.parseCompact("20260101070331", offset: Timestamp.vietnamOffset))
        #expect(instant.iso8601 == "2026-01-01T00:03:31Z")
        #expect(Timestamp.parseCompact("2026010107033", offset: 0) == nil)
    }

    @Test func unixSecondsRoundTrip() {
        #expect(Timestamp(unixSeconds: 1_769_096_963).iso8601 == "2026-01-22T15:49:23Z")
        #expect(Timestamp(unixSeconds: 0).iso8601 == "1970-01-01T00:00:00Z")
    }

    @Test func lateReportDeadline() throws {
        let period = try #require(TaxPeriod("2026-12"))
        #expect(period.lateReportDeadline.iso8601 == "2027-01-20T17:00:00Z")
        #expect(TaxPeriod("2026-1") == nil)
    }
}
