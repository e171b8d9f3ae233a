import CompressNIO
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkServer
import TaxLinkStore
import Testing

/// The workbench's exports carry the filters, never the page: every matching finding, streamed.
@Suite("Workbench exports")
struct WorkbenchExportTests {
    /// 250 findings, 125 on Shopee: more than the page's 100 rows. The page's own `limit` and `offset`
    /// are ignored.
    @Test func theExportOfAFilterHasEveryMatchingRow() async throws {
        try await WorkbenchFixture.with(findings: 250) { workbench in
            let session = try await workbench.signIn("an-token")
            let page = String(buffer: try await workbench.get("/analyst?platform=shopee", session: session).body)
            #expect(page.contains("125"))
            let csv = try await workbench.get(
                "/analyst/export.csv?platform=shopee&limit=100&offset=100",
                session: session
            )
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = String(buffer: csv.body).split(separator: "\r\n")
            #expect(lines.count == 1 + 125)
            #expect(lines.first == Substring(DiscrepancyReport.exportFields.joined(separator: ",")))
            #expect(lines.dropFirst().allSatisfy { $0.contains(",shopee,") })

            let all = try await workbench.get("/analyst/export.json?limit=10", session: session)
            let findings = try #require(try JSONParser.parse(Array(all.body.readableBytesView)).arrayValue)
            #expect(findings.count == 250)
            #expect(Set(findings.compactMap { $0["id"]?.stringValue }).count == 250)
        }
    }

    @Test func rowsCarryTheLatestNoteTheHistoryCountAndVietnamTime() async throws {
        try await WorkbenchFixture.with(findings: 1) { workbench in
            let session = try await workbench.signIn("an-token")
            let csrf = try await workbench.csrf(session)
            _ = try await workbench.post(
                "/analyst/findings/f-0",
                form: [("csrf", csrf), ("status", "acknowledged"), ("note", "đã xem, gọi lại")],
                cookie: "taxlink_session=\(session)"
            )
            let csv = String(buffer: try await workbench.get("/analyst/export.csv", session: session).body)
            let row = try #require(csv.split(separator: "\r\n").last)
            // Detected 2026-12-01T05:15Z: 12:15 in Vietnam.
            #expect(row.contains("01/12/2026 12:15 (giờ VN)"))
            #expect(row.hasSuffix(",\"đã xem, gọi lại\",2"))
            let json = try JSONParser.parse(
                Array(try await workbench.get("/analyst/export.json", session: session).body.readableBytesView)
            )
            let first = try #require(json.arrayValue?.first)
            #expect(first["detected_at"]?.stringValue == "2026-12-01T05:15:00Z")
            #expect(first["latest_note"]?.stringValue == "đã xem, gọi lại")
            #expect(first["history_count"] == .int(2))
        }
    }

    @Test func theBOMVariantTheFileNameAndNoStore() async throws {
        try await WorkbenchFixture.with(findings: 4) { workbench in
            let session = try await workbench.signIn("an-token")
            let plain = try await workbench.get(
                "/analyst/export.csv?platform=shopee&period=2026-01&status=open",
                session: session
            )
            #expect(Array(plain.body.readableBytesView.prefix(2)) == Array("id".utf8))
            #expect(
                plain.headers[.contentDisposition]
                    == "attachment; filename=\"discrepancies_shopee_2026-01_open_20261201T0615Z.csv\""
            )
            #expect(plain.headers[.cacheControl] == "no-store")
            let bom = try await workbench.get("/analyst/export.csv?bom=1", session: session)
            #expect(Array(bom.body.readableBytesView.prefix(5)) == [0xEF, 0xBB, 0xBF] + Array("id".utf8))
            #expect(bom.headers[.contentDisposition] == "attachment; filename=\"discrepancies_all_20261201T0615Z.csv\"")
            let json = try await workbench.get("/analyst/export.json?code=LATE_REPORT&seller=a/b", session: session)
            #expect(
                json.headers[.contentDisposition]
                    == "attachment; filename=\"discrepancies_LATE_REPORT_a-b_20261201T0615Z.json\""
            )
            #expect(json.headers[.cacheControl] == "no-store")
            #expect(try await workbench.get("/analyst", session: session).headers[.cacheControl] == "no-store")
            #expect(try await workbench.get("/analyst/sign-in").headers[.cacheControl] == "no-store")
        }
    }

    /// API clients may use an analyst's bearer token instead of a session; other roles get 403.
    @Test func bearerTokensExportToo() async throws {
        try await WorkbenchFixture.with(findings: 3) { workbench in
            let analyst = try await workbench.get(
                "/analyst/export.json",
                headers: [.authorization: "Bearer binh-token"]
            )
            #expect(analyst.status == .ok)
            let other = try await workbench.get(
                "/analyst/export.json",
                headers: [.authorization: "Bearer operator-token"]
            )
            #expect(other.status == .forbidden)
            #expect(try await workbench.get("/analyst/export.json?token=an-token").status == .seeOther)
        }
    }

    /// gzip when the client accepts it, the same bytes once inflated; streamed exports too.
    @Test func answersAreCompressedWhenTheClientAcceptsGzip() async throws {
        try await WorkbenchFixture.with(findings: 600) { workbench in
            let session = try await workbench.signIn("an-token")
            for uri in ["/analyst", "/analyst/export.csv", "/analyst/export.json"] {
                let plain = try await workbench.get(uri, session: session)
                #expect(plain.headers[.contentEncoding] == nil)
                let zipped = try await workbench.get(uri, session: session, headers: [.acceptEncoding: "br, gzip"])
                #expect(zipped.headers[.contentEncoding] == "gzip")
                #expect(zipped.headers[.vary] == "Accept-Encoding")
                #expect(zipped.body.readableBytes < plain.body.readableBytes)
                #expect(try Self.gunzip(zipped.body) == Array(plain.body.readableBytesView))
                let refused = try await workbench.get(uri, session: session, headers: [.acceptEncoding: "gzip;q=0"])
                #expect(refused.headers[.contentEncoding] == nil)
            }
            let api = try await workbench.client.execute(
                uri: "/v1/discrepancies",
                method: .get,
                headers: [.authorization: "Bearer an-token", .acceptEncoding: "gzip"],
                body: nil
            )
            #expect(api.headers[.contentEncoding] == "gzip")
            #expect(try JSONParser.parse(try Self.gunzip(api.body)).arrayValue?.count == 600)
        }
    }

    static func gunzip(_ buffer: ByteBuffer) throws -> [UInt8] {
        var input = buffer
        let decompressor = try ZlibDecompressor(algorithm: .gzip)
        var output = ByteBufferAllocator().buffer(capacity: 64 * 1024 * 1024)
        try decompressor.inflate(from: &input, to: &output)
        return Array(output.readableBytesView)
    }
}
