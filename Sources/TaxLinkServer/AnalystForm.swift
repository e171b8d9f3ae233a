import Hummingbird

/// The fields of the analyst page's status form, `POST /analyst/findings/{id}`.
struct AnalystStatusForm: Decodable, Sendable {
    /// The session's CSRF token.
    var csrf: String?
    /// The new status.
    var status: String?
    /// The analyst's note.
    var note: String?
    /// The page's filters to go back to, as a query string.
    var `return`: String?
}

/// The analyst page's URL queries and form bodies (`application/x-www-form-urlencoded`), read with
/// Hummingbird's ``URLEncodedFormDecoder``.
enum AnalystForm {
    /// The largest form body read.
    static let maximumBodyBytes = 64 * 1024

    /// The fields of a URL query, by name; 400 naming the fault when it is not a valid form (a bad
    /// percent-escape, a name given twice, a nested name).
    static func query(_ text: String?) throws(RequestError) -> [String: String] {
        try decode([String: String].self, from: text ?? "", as: .invalidParameter, "the query")
    }

    /// The status form of a body; 400 naming the fault when it is not a valid form.
    static func statusForm(_ text: String) throws(RequestError) -> AnalystStatusForm {
        try decode(AnalystStatusForm.self, from: text, as: .invalidBody, "the form")
    }

    /// The fields of a posted form, by name; 400 when it is not a valid form.
    static func fields(of request: Request) async throws -> [String: String] {
        try decode([String: String].self, from: try await body(of: request), as: .invalidBody, "the form")
    }

    /// A posted form's body as text (at most ``maximumBodyBytes``).
    static func body(of request: Request) async throws -> String {
        let buffer = try await request.body.collect(upTo: maximumBodyBytes)
        return String(decoding: buffer.readableBytesView, as: UTF8.self)
    }

    private static func decode<T: Decodable>(
        _ type: T.Type, from text: String, as code: RequestError.Code, _ what: String
    ) throws(RequestError) -> T {
        do {
            return try URLEncodedFormDecoder().decode(type, from: text)
        } catch {
            throw RequestError(
                code, "\(what) is not valid application/x-www-form-urlencoded text: \(error)",
                cause: error)
        }
    }
}
