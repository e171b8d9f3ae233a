import Foundation
import Hummingbird
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// The body of `PATCH /v1/discrepancies/{id}`: `{"status": …, "note": …}` and nothing else, sent as
/// `application/json` or `application/merge-patch+json`.
struct StatusChange: Sendable {
    /// The media types the PATCH takes.
    static let mediaTypes = ["application/json", "application/merge-patch+json"]
    /// The largest body read.
    static let maximumBodyBytes = 64 * 1024

    var status: String
    var note: String?

    /// Reads and checks the request's body.
    init(_ request: Request) async throws {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard let mediaType, Self.mediaTypes.contains(mediaType) else {
            throw RequestError(
                .unsupportedMediaType,
                "Content-Type must be application/json or application/merge-patch+json, not \(mediaType ?? "none")")
        }
        let buffer = try await request.body.collect(upTo: Self.maximumBodyBytes)
        let body: JSONValue
        do {
            body = try JSONParser.parse(Array(buffer.readableBytesView))
        } catch {
            throw RequestError(.invalidBody, "the body is not JSON: \(error)", cause: error)
        }
        guard case .object(let object) = body else {
            throw RequestError(.invalidBody, "the body must be an object {\"status\": …, \"note\": …}")
        }
        if let unknown = object.members.first(where: { !["status", "note"].contains($0.key) }) {
            throw RequestError(.invalidBody, "unknown member '\(unknown.key)': the body takes only status and note")
        }
        guard let status = body["status"]?.stringValue else {
            throw RequestError(.invalidBody, "status: a string open, acknowledged or resolved is required")
        }
        if let note = body["note"], note.stringValue == nil, !note.isNull {
            throw RequestError(.invalidBody, "note: expected a string")
        }
        self.status = status
        self.note = body["note"]?.stringValue
    }

    /// The finding after a change, with every status change it went through, oldest first.
    static func json(_ finding: StoredFinding, _ history: [FindingHistoryEntry]) -> JSONValue {
        guard case .object(var object) = DiscrepancyReport.json(finding) else { return .null }
        let entries: [JSONValue] = history.map { entry in
            .object([
                "at": .string(entry.at.iso8601),
                "from": .optional(entry.from?.rawValue),
                "to": .string(entry.to.rawValue),
                "actor": .string(entry.actor),
                "note": .optional(entry.note),
                "reason": .string(entry.reason),
            ])
        }
        object.members.append((key: "history", value: .array(entries)))
        return .object(object)
    }
}
