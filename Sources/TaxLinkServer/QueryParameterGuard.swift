import Hummingbird
import TaxLinkCore

/// Refuses, on every route, a query parameter whose value holds a control character (`%00`, a line
/// break, `DEL`, …) with a 400 that names the parameter. No filter, format or token has a use for one,
/// and a NUL would cut a value short where it meets C strings (SQLite's text binding).
struct QueryParameterGuard<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        for (name, value) in request.uri.queryParameters {
            if let scalar = value.unicodeScalars.first(where: RecordLimits.isControl) {
                throw RequestError.invalidParameter(
                    String(name),
                    "the value holds the control character \(RecordLimits.codePoint(scalar)); "
                        + "send it without control characters")
            }
        }
        return try await next(request, context)
    }
}
