import TaxLinkCore
import TaxLinkReconcile
import TaxLinkWorkbench

/// Findings and pages for the renderer tests, built in memory.
enum PageSamples {
    /// Strings a feed or a person could send that would be markup if not escaped.
    static let hostile = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'><svg onload=alert(1)>"]

    /// 2026-12-01T17:30:00Z: 02/12/2026 00:30 in Vietnam.
    static let detected = Timestamp(unixSeconds: 1_796_146_200)

    static func context(_ language: WorkbenchLanguage = .vi, name: String = "Nguyễn Thị Lan") -> WorkbenchContext {
        WorkbenchContext(
            language: language,
            actorName: name,
            csrfToken: "csrf-123",
            currentURL: "/analyst?platform=tiki"
        )
    }

    /// A finding whose every string is `text`.
    static func finding(
        _ text: String,
        id: String = "f-1",
        amount: Int64 = 1_234_567,
        status: FindingStatus = .open
    ) -> StoredFinding {
        StoredFinding(
            content: FindingContent(
                id: id,
                code: .declarationMismatch,
                scope: .sellerPeriod,
                severity: .critical,
                platform: text,
                taxPeriod: text,
                platformSellerID: text,
                category: text,
                taxID: text,
                recordID: text,
                externalID: text,
                revision: 1,
                expected: .object(
                    JSONObject([(key: "vat", value: .number("1000")), (key: text, value: .string(text))])
                ),
                actual: .object(JSONObject([(key: "vat", value: .number("250")), (key: "pit", value: .number("0"))])),
                amountAtRisk: amount,
                detail: text
            ),
            status: status,
            detectedAt: detected,
            updatedAt: detected,
            active: true,
            resolution: nil
        )
    }

    /// A page of `findings` out of `total`, with totals, in `context`.
    static func model(
        _ findings: [StoredFinding],
        total: Int? = nil,
        query: FindingQuery = pagedQuery(),
        context: WorkbenchContext = context(),
        history: [String: [FindingHistoryEntry]] = [:]
    ) -> AnalystPageModel {
        AnalystPageModel(
            context: context,
            query: query,
            page: FindingPage(findings: findings, total: total ?? findings.count),
            history: history,
            byCode: [FindingTotal(key: "DECLARATION_MISMATCH", count: 3, amountAtRisk: 2_500_000)],
            byPlatform: [FindingTotal(key: "tiki", count: 3, amountAtRisk: 2_500_000)],
            byPeriod: [
                FindingTotal(key: "2026-01", count: 2, amountAtRisk: 2_000_000),
                FindingTotal(key: nil, count: 1, amountAtRisk: 500_000),
            ]
        )
    }

    static func pagedQuery(limit: Int = 100, offset: Int = 0) -> FindingQuery {
        var query = FindingQuery()
        query.limit = limit
        query.offset = offset
        return query
    }
}
