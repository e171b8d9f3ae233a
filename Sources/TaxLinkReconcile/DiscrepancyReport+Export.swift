import TaxLinkCore
import TaxLinkStore

extension DiscrepancyReport {
    /// The fields of the workbench's export, in order: the report's fields, then the latest note an
    /// analyst wrote and how many status changes the finding went through (its detection included).
    public static let exportFields = fields + ["latest_note", "history_count"]

    /// One finding of the export as a JSON object: ``json(_:)`` (times UTC, `Z`) with `latest_note` and
    /// `history_count` from its `history`.
    public static func exportJSON(_ finding: StoredFinding, history: [FindingHistoryEntry]) -> JSONValue {
        guard case .object(var object) = json(finding) else { return .null }
        object.members.append((key: "latest_note", value: .optional(history.last(where: { $0.note != nil })?.note)))
        object.members.append((key: "history_count", value: .int(Int64(history.count))))
        return .object(object)
    }

    /// The CSV cells of one finding of the export, in ``exportFields`` order, with `detected_at` written
    /// by `time` (the workbench writes Vietnam time, labelled).
    public static func exportCSVCells(
        _ finding: StoredFinding,
        history: [FindingHistoryEntry],
        time: (Timestamp) -> String
    ) -> [String?] {
        var cells = cells(of: exportJSON(finding, history: history), exportFields)
        if let index = exportFields.firstIndex(of: "detected_at") { cells[index] = time(finding.detectedAt) }
        return cells
    }
}
