import Hummingbird

/// Refuses, on every route, a query parameter whose value holds a control character (`%00`, a line
/// break, `DEL`, …) with a 400 that names the parameter. No filter, format or token has a use for one,
/// and a NUL would cut a value short where it meets C strings (SQLite's text binding).
struct QueryParameterGuard<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        for (name, value) in request.uri.queryParameters {
            if let scalar = value.unicodeScalars.first(where: Self.isControl) {
                let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
                throw RequestError.invalidParameter(
                    String(name), "the value holds the control character \(code); send it without control characters")
            }
        }
        return try await next(request, context)
    }

    /// C0 controls, DEL and C1 controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
