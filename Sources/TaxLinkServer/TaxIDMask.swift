import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// Tax ids as roles other than analysts see them (`discrepancies.md`: "tax ids are shown in full only
/// to analysts"): every digit of a tax id but the last three becomes `*`, so `0312345673` reads
/// `*******673`.
enum TaxIDMask {
    /// The shortest run of digits taken for a tax id in free text (tax codes have 10 or 13 digits,
    /// personal ids 12; amounts in the texts are far shorter than 10⁸).
    static let shortestID = 9

    /// A whole tax id: every character but the last three becomes `*`.
    static func maskedID(_ id: String) -> String {
        String(repeating: "*", count: max(0, id.count - 3)) + id.suffix(3)
    }

    /// `text` with every run of at least ``shortestID`` digits masked.
    static func masked(_ text: String) -> String {
        var output = ""
        var run = ""
        func flush() {
            if run.count >= shortestID {
                output += String(repeating: "*", count: max(0, run.count - 3)) + run.suffix(3)
            } else {
                output += run
            }
            run = ""
        }
        for character in text {
            if character.isASCII, character.isNumber {
                run.append(character)
            } else {
                flush()
                output.append(character)
            }
        }
        flush()
        return output
    }

    /// A finding with its tax id masked, and in its expected and actual values and its detail both that
    /// tax id (whatever it holds) and any run of digits long enough to be one.
    static func masked(_ finding: StoredFinding) -> StoredFinding {
        var finding = finding
        let id = finding.content.taxID.flatMap { $0.isEmpty ? nil : $0 }
        func mask(_ text: String) -> String {
            masked(id.map { text.replacing($0, with: maskedID($0)) } ?? text)
        }
        finding.content.taxID = id.map(maskedID) ?? finding.content.taxID
        finding.content.expected = masked(finding.content.expected, with: mask)
        finding.content.actual = masked(finding.content.actual, with: mask)
        finding.content.detail = mask(finding.content.detail)
        return finding
    }

    /// A schedule with its sellers' tax codes and personal ids masked.
    static func masked(_ schedule: PeriodSchedule) -> PeriodSchedule {
        var schedule = schedule
        schedule.rows = schedule.rows.map { row in
            var row = row
            row.taxCode = row.taxCode.map(maskedID)
            row.nationalID = row.nationalID.map(maskedID)
            return row
        }
        return schedule
    }

    private static func masked(_ value: JSONValue, with mask: (String) -> String) -> JSONValue {
        switch value {
        case .string(let text): .string(mask(text))
        case .array(let values): .array(values.map { masked($0, with: mask) })
        case .object(let object):
            .object(JSONObject(object.members.map { (key: $0.key, value: masked($0.value, with: mask)) }))
        case .null, .bool, .number: value
        }
    }
}
