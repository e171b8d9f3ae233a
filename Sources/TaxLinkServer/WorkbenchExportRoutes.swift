import HTTPTypes
import Hummingbird
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import TaxLinkWorkbench

/// The workbench's exports of what a filter matches: `GET /analyst/export.csv` and
/// `GET /analyst/export.json`, for the signed-in analyst (session cookie) or an API client with an
/// analyst's `Authorization: Bearer` token.
///
/// They take the filters of the findings list (`platform`, `period`, `code`, `severity`, `status`,
/// `seller`, `sort`) and never its page: `limit` and `offset` are ignored, and every matching finding is
/// streamed, read from the store a page at a time, so memory stays flat however many match. Each row
/// adds the latest note and the number of status changes (`latest_note`, `history_count`). The CSV
/// writes `detected_at` in Vietnam time, labelled (``WorkbenchFormat/vietnamTime(_:language:)``);
/// `bom=1` starts it with a UTF-8 byte order mark for spreadsheet programs. The JSON keeps UTC (`Z`).
/// The file name says what was filtered and when:
/// `discrepancies_shopee_2026-01_open_20261201T0615Z.csv`.
struct WorkbenchExportRoutes<Context: RequestContext>: Sendable {

    let storage: any FindingsStorage
    let sessions: WorkbenchSessions
    let authorizer: Authorizer
    let now: @Sendable () -> Timestamp

    func register(on router: Router<Context>) {
        router.get("/analyst/export.csv") { request, _ in try await export(request, format: .csv) }
        router.get("/analyst/export.json") { request, _ in try await export(request, format: .json) }
    }

    private func export(_ request: Request, format: ReportFormat) async throws -> Response {
        if request.headers[.authorization] != nil {
            try authorizer.require(request, oneOf: [.analyst])
        } else {
            _ = try await sessions.signedIn(request)
        }
        let parameters = try AnalystForm.query(request.uri.query)
        var query = try FindingQuery(parameters: parameters)
        query.limit = nil
        query.offset = 0
        let language = WorkbenchSession.language(of: request)
        let byteOrderMark = format == .csv && parameters["bom"] == "1"
        let name = Self.fileName(query, at: now(), extension: format == .csv ? "csv" : "json")
        let export = FindingExport(
            storage: storage,
            query: query,
            format: format,
            byteOrderMark: byteOrderMark,
            language: language
        )
        let body = ResponseBody { writer in try await export.write(to: &writer) }
        return Response(
            status: .ok,
            headers: [
                .contentType: format.contentType,
                .contentDisposition: "attachment; filename=\"\(name)\"",
                WorkbenchResponse.referrerPolicy: "no-referrer",
            ],
            body: body
        )
    }

    /// `discrepancies_<filters>_<yyyyMMdd'T'HHmm>Z.<extension>`: the filters in the order platform,
    /// period, code, severity, status, seller (`all` when there are none), each reduced to letters,
    /// digits, `_` and `-` (several values joined with `+`), and the time of the export in UTC.
    static func fileName(_ query: FindingQuery, at time: Timestamp, extension: String) -> String {
        let parts = [
            query.platform, query.period, list(query.codes.map(\.rawValue)), list(query.severities.map(\.rawValue)),
            list(query.statuses.map(\.rawValue)), query.seller,
        ].compactMap { $0 }.map(safe)
        let civil = time.civilTime(offset: 0)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let stamp = "\(civil.year)\(two(civil.month))\(two(civil.day))T\(two(civil.hour))\(two(civil.minute))Z"
        return "discrepancies_" + (parts.isEmpty ? ["all"] : parts).joined(separator: "_") + "_\(stamp).\(`extension`)"
    }

    private static func list(_ values: [String]) -> String? {
        values.isEmpty ? nil : values.joined(separator: "+")
    }

    private static func safe(_ text: String) -> String {
        let kept = text.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "+", "_": Character(scalar)
            default: "-"
            }
        }
        return String(kept.prefix(40))
    }
}

/// One streamed export: the findings of a query, a page of ``pageSize`` at a time,
/// each page written as soon as it is read.
private struct FindingExport: Sendable {
    /// How many findings are read from the store at a time.
    static let pageSize = 500

    let storage: any FindingsStorage
    let query: FindingQuery
    let format: ReportFormat
    let byteOrderMark: Bool
    let language: WorkbenchLanguage

    func write(to writer: inout any ResponseBodyWriter) async throws {
        var pending: [UInt8] = byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
        if format == .csv {
            var header = CSVWriter()
            header.row(DiscrepancyReport.exportFields)
            pending += header.bytes
        }
        var written = 0
        var page = query
        page.limit = Self.pageSize
        while true {
            let findings = try await storage.findings(page).findings
            let history = try await storage.findingHistory(ids: findings.map(\.content.id))
            var csv = CSVWriter()
            for finding in findings {
                let entries = history[finding.content.id] ?? []
                switch format {
                case .csv:
                    csv.row(
                        DiscrepancyReport.exportCSVCells(finding, history: entries) {
                            WorkbenchFormat.vietnamTime($0, language: language)
                        }
                    )
                case .json, .jsonl:
                    pending += written == 0 ? [UInt8(ascii: "["), 0x0A] : [UInt8(ascii: ","), 0x0A]
                    CanonicalJSON.write(DiscrepancyReport.exportJSON(finding, history: entries), to: &pending)
                }
                written += 1
            }
            pending += csv.bytes
            if !pending.isEmpty { try await writer.write(ByteBuffer(bytes: pending)) }
            pending = []
            guard findings.count == Self.pageSize else { break }
            page.offset += findings.count
        }
        if format != .csv { try await writer.write(ByteBuffer(string: written == 0 ? "[]\n" : "\n]\n")) }
        try await writer.finish(nil)
    }
}
