import HTTPTypes
import Hummingbird
import TaxLinkReconcile
import TaxLinkWorkbench

/// Errors on workbench pages answered as pages, never as problem+json: the status, what was wrong (the
/// message of the one error mapping, ``Problem``), and a link back to the findings list with the
/// request's filters kept (all but the one the error names).
enum WorkbenchErrorPages {
    /// The answer of `body`, or the error page of what it throws. A redirect (such as the one to the
    /// sign-in page) is thrown on unchanged.
    static func catching(
        _ request: Request,
        context: WorkbenchContext,
        back: String? = nil,
        _ body: () async throws -> Response
    ) async throws -> Response {
        do {
            return try await body()
        } catch {
            return try page(for: error, request: request, context: context, back: back)
        }
    }

    /// The error page of `error` for `request`; rethrows a problem that is not an error (3xx).
    static func page(for error: any Error, request: Request, context: WorkbenchContext, back: String?) throws
        -> Response
    {
        let problem = Problem(error, method: request.method, path: request.uri.path)
        guard problem.status.code >= 400 else { throw problem }
        let html = WorkbenchLayout.errorPage(
            status: problem.status.code,
            message: problem.detail,
            back: back ?? filtersKept(request.uri.query, dropping: problem.detail),
            context: context
        )
        var response = WorkbenchResponse.html(html, status: problem.status)
        for field in problem.headers where field.name != .contentType { response.headers.append(field) }
        return response
    }

    /// The findings list with the filters of `query`, leaving out the one a message names
    /// (`period: expected YYYY-MM…` leaves out `period`) and the page.
    static func filtersKept(_ query: String?, dropping message: String) -> String {
        guard let fields = try? AnalystForm.query(query) else { return "/analyst" }
        let named = message.split(separator: ":", maxSplits: 1).first.map(String.init)
        let kept = FindingQuery.parameterNames.compactMap { name -> (name: String, value: String)? in
            guard name != named, name != "offset", let value = fields[name], !value.isEmpty else { return nil }
            return (name, value)
        }
        return WorkbenchFormat.url("/analyst", kept)
    }
}
