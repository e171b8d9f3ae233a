import Hummingbird
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkWorkbench

/// The fields of the bulk form, `POST /analyst/findings/bulk` (see ``AnalystPageRenderer/bulkForm``).
struct BulkStatusForm: Decodable, Sendable {
    /// The session's CSRF token.
    var csrf: String?
    /// `selected` (the findings of `ids`) or `filter` (every finding the filters match).
    var scope: String?
    /// The checked findings (`ids[]` fields).
    var ids: [String]?
    /// The status to move them to: `acknowledged` or `resolved`.
    var to: String?
    /// The one note of every change.
    var note: String?
    /// The list's filters, as a query string.
    var filter: String?
}

extension AnalystPage {
    /// `POST /analyst/findings/bulk`: moves the selected findings, or every finding the filters match (at
    /// most ``BulkOutcome/maximumPerRequest`` a time), to `acknowledged` or `resolved` with one note. Each
    /// change goes through ``FindingWorkflow`` with the signed-in person as its actor; the answer is a page
    /// saying how many changed and which could not, and why. A form without the session's CSRF token, or
    /// with nothing to change, is an error page with the way back to the filtered list.
    func registerBulk(on router: Router<Context>) {
        router.post("/analyst/findings/bulk") { request, _ in
            let session = try await sessions.signedIn(request)
            let text = try await AnalystForm.body(of: request)
            let decoded = Result { try URLEncodedFormDecoder().decode(BulkStatusForm.self, from: text) }
            let filters = Self.filters(returnedIn: try? decoded.get().filter)
            let back = WorkbenchFormat.url("/analyst", filters)
            let context = session.context(language: WorkbenchSession.language(of: request), currentURL: back)
            return try await WorkbenchErrorPages.catching(request, context: context, back: back) {
                let form = try decoded.mapError {
                    RequestError(
                        .invalidBody,
                        "the form is not valid application/x-www-form-urlencoded text: \($0)",
                        cause: $0
                    )
                }.get()
                try sessions.checkCSRF(form.csrf, session)
                let target = try Self.bulkTarget(form.to)
                guard !(form.note ?? "").trimmingWhitespace().isEmpty else {
                    throw RequestError(.invalidBody, context.text.noteRequired)
                }
                let (ids, remaining) = try await bulkSelection(form, filters: filters, target: target, context: context)
                var outcome = BulkOutcome(
                    target: target,
                    changed: [],
                    failures: [],
                    remaining: remaining,
                    filters: filters
                )
                let workflow = FindingWorkflow(storage: storage)
                for id in ids {
                    do {
                        _ = try await workflow.change(id: id, to: target.rawValue, note: form.note, actor: session.name)
                        outcome.changed.append(id)
                    } catch {
                        let problem = Problem(error, method: request.method, path: request.uri.path)
                        outcome.failures.append(BulkOutcome.Failure(id: id, reason: problem.detail))
                    }
                }
                return WorkbenchResponse.html(
                    AnalystPageRenderer.bulkConfirmation(outcome, context: context),
                    status: .ok
                )
            }
        }
    }

    private static func bulkTarget(_ to: String?) throws(RequestError) -> FindingStatus {
        guard let to, let target = FindingStatus(rawValue: to.lowercased()),
            AnalystPageRenderer.bulkTargets.contains(target)
        else { throw RequestError(.invalidBody, "to: expected acknowledged or resolved, found '\(to ?? "")'") }
        return target
    }

    /// The findings to change and how many matching ones are left for another round.
    private func bulkSelection(
        _ form: BulkStatusForm,
        filters: [(name: String, value: String)],
        target: FindingStatus,
        context: WorkbenchContext
    ) async throws -> (ids: [String], remaining: Int) {
        switch form.scope ?? "selected" {
        case "selected":
            var seen = Set<String>()
            let ids = (form.ids ?? []).filter { !$0.isEmpty && seen.insert($0).inserted }
            guard !ids.isEmpty else { throw RequestError(.invalidBody, context.text.bulkNothingSelected) }
            guard ids.count <= BulkOutcome.maximumPerRequest else {
                throw RequestError(.invalidBody, "ids: at most \(BulkOutcome.maximumPerRequest) findings at a time")
            }
            return (ids, 0)
        case "filter":
            var query = try FindingQuery(parameters: Dictionary(filters, uniquingKeysWith: { $1 }))
            let movable = FindingStatus.allCases.filter { $0.allowsChange(to: target) }
            query.statuses = query.statuses.isEmpty ? movable : query.statuses.filter(movable.contains)
            guard !query.statuses.isEmpty else { return ([], 0) }
            query.limit = BulkOutcome.maximumPerRequest
            query.offset = 0
            let page = try await storage.findings(query)
            return (page.findings.map(\.content.id), max(0, page.total - page.findings.count))
        case let scope:
            throw RequestError(.invalidBody, "scope: expected selected or filter, found '\(scope)'")
        }
    }
}
