import TaxLinkCore

/// The envelope of a batch (`ecom-tax-batch/1`), checked; the records are checked one by one later.
struct BatchEnvelope: Sendable {
    static let schemaName = "ecom-tax-batch/1"
    static let fields: ObjectSchema = [
        "schema": .string, "batch_id": .string, "sender_id": .string, "created_at": .string,
        "record_count": .number, "records": .array,
    ]

    var batchID: String
    var senderID: String
    var createdAt: Timestamp
    var records: [JSONValue]

    /// Parses and checks the envelope.
    ///
    /// - Throws: a `400` ``MinistryProblem`` for malformed JSON, a member missing, extra or of the
    ///   wrong type, an unknown schema, a malformed `batch_id` or `created_at`, no records, or a
    ///   `record_count` other than the number of records.
    static func parse(_ body: [UInt8]) throws(MinistryProblem) -> BatchEnvelope {
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw .badRequest("the body is not valid JSON: \(error)")
        }
        if let violation = schemaViolation(of: document, at: "batch", fields: fields) {
            throw .badRequest("the batch envelope breaks the schema: \(violation)")
        }
        var errors: [MinistryProblem.FieldError] = []
        let schema = document["schema"]?.stringValue ?? ""
        if schema != schemaName {
            errors.append(.init(pointer: "/schema", detail: "must be \"\(schemaName)\", found \"\(schema)\""))
        }
        let batchID = document["batch_id"]?.stringValue ?? ""
        if !WireFormat.isBatchID(batchID) {
            errors.append(.init(pointer: "/batch_id", detail: "must be 1 to 64 characters of [A-Za-z0-9_-]"))
        }
        let senderID = document["sender_id"]?.stringValue ?? ""
        if senderID.isEmpty { errors.append(.init(pointer: "/sender_id", detail: "must not be empty")) }
        let createdText = document["created_at"]?.stringValue ?? ""
        let createdAt = WireFormat.utcTime(createdText)
        if createdAt == nil {
            errors.append(.init(pointer: "/created_at", detail: "must be a UTC time YYYY-MM-DDThh:mm:ssZ"))
        }
        let records = document["records"]?.arrayValue ?? []
        if records.isEmpty { errors.append(.init(pointer: "/records", detail: "must hold at least one record")) }
        let recordCount = document["record_count"].flatMap(WireFormat.integer)
        if recordCount != Int64(records.count) {
            let given = document["record_count"].map { CanonicalJSON.string($0) } ?? "nothing"
            errors.append(
                .init(pointer: "/record_count", detail: "is \(given) but the batch holds \(records.count) records")
            )
        }
        guard errors.isEmpty, let createdAt else {
            let summary = errors.map { "\($0.pointer) \($0.detail)" }.joined(separator: "; ")
            throw .badRequest("the batch envelope is invalid: \(summary)", errors: errors)
        }
        return BatchEnvelope(batchID: batchID, senderID: senderID, createdAt: createdAt, records: records)
    }
}
