import HTTPTypes
import Hummingbird

/// Marks every answer under `/analyst` (pages, exports, redirects and errors alike)
/// `Cache-Control: no-store`, so no page with findings or tax ids stays in a browser's or proxy's cache.
/// It runs outside ``ProblemMiddleware``, whose errors (``Problem``) it turns into their answers here
/// to add the header.
struct WorkbenchMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard path == "/analyst" || path.hasPrefix("/analyst/") else { return try await next(request, context) }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
