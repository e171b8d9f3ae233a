import HTTPTypes
import Hummingbird

/// The methods each path of the API takes, so that a known path with another method is answered
/// `405 Method Not Allowed` with an `Allow` header instead of 404. The table is checked against the
/// registered routes by the server's tests.
enum AllowedMethods {
    static let table: [(path: RouterPath, methods: [HTTPRequest.Method])] = [
        ("/v1/platforms/:platform/:kind", [.post]),
        ("/v1/gateways/:gateway/settlements", [.post]),
        ("/v1/feeds/:id", [.get]),
        ("/v1/feeds/:id/rejections", [.get]),
        ("/v1/discrepancies", [.get]),
        ("/v1/discrepancies/:id", [.patch]),
        ("/v1/schedules/:platform/:period", [.get]),
        ("/v1/outbox", [.get]),
        ("/healthz", [.get]),
        ("/readyz", [.get]),
        ("/metrics", [.get]),
        ("/analyst", [.get]),
        ("/analyst/export.csv", [.get]),
        ("/analyst/export.json", [.get]),
        ("/analyst/sign-in", [.get, .post]),
        ("/analyst/sign-out", [.post]),
        ("/analyst/schedule", [.get]),
        ("/analyst/records/:recordID", [.get]),
        ("/analyst/sellers/:sellerID", [.get]),
        ("/analyst/search", [.get]),
        ("/analyst/findings/:id", [.post]),
        ("/analyst/language", [.get]),
    ]

    /// The methods `path` takes, or `nil` when no route has that path.
    static func methods(for path: String) -> [HTTPRequest.Method]? {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        for entry in table where entry.path.components.count == components.count {
            if zip(entry.path.components, components).allSatisfy({ element, component in element ~= component }) {
                return entry.methods
            }
        }
        return nil
    }
}
