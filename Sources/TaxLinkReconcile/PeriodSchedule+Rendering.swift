import TaxLinkCore

/// The formats of the period schedule.
public enum ScheduleFormat: String, Sendable, Hashable, CaseIterable {
    case json
    case csv
    case xml

    /// The media type of a rendered schedule.
    public var contentType: String {
        switch self {
        case .json: "application/json"
        case .csv: "text/csv; charset=utf-8"
        case .xml: "application/xml; charset=utf-8"
        }
    }
}

extension PeriodSchedule {
    /// The schedule rendered in `format`.
    public func render(_ format: ScheduleFormat) -> [UInt8] {
        switch format {
        case .json: CanonicalJSON.encode(json) + [0x0A]
        case .csv: csv
        case .xml: xml
        }
    }

    /// `{"form", "platform", "tax_period", "rows": [...], "group_totals": [...], "totals": {...}}`; rows
    /// carry `tax_id` and `non_resident` as the declaration's rows do, to be set beside them.
    public var json: JSONValue {
        .object([
            "form": .string(Self.form),
            "platform": .string(platform),
            "tax_period": .string(period.description),
            "rows": .array(
                rows.map { row in
                    .object([
                        "platform_seller_id": .string(row.platformSellerID),
                        "seller_name": .string(row.sellerName),
                        "tax_id": .optional(row.taxCode ?? row.nationalID),
                        "non_resident": .bool(!row.resident),
                        "tax_code": .optional(row.taxCode),
                        "national_id": .optional(row.nationalID),
                        "resident": .bool(row.resident),
                        "category": .string(row.group.rawValue),
                        "revenue": .int(row.revenue),
                        "vat": .int(row.vat),
                        "pit": .int(row.pit),
                        "total": .int(row.total),
                        "expected_vat": .int(row.expectedVAT),
                        "expected_pit": .int(row.expectedPIT),
                    ])
                }
            ),
            "group_totals": .array(
                groupTotals.map { group, totals in
                    var members = totalsJSON(totals).members
                    members.insert((key: "category", value: .string(group.rawValue)), at: 0)
                    return .object(JSONObject(members))
                }
            ),
            "totals": .object(totalsJSON(totals)),
            "excluded": .array(
                excluded.map { .object(["subject": .string($0.subject), "reason": .string($0.reason)]) }
            ),
        ])
    }

    private func totalsJSON(_ totals: Totals) -> JSONObject {
        JSONObject([
            (key: "rows", value: .int(totals.rows)),
            (key: "revenue", value: .int(totals.revenue)),
            (key: "vat", value: .int(totals.vat)),
            (key: "pit", value: .int(totals.pit)),
            (key: "total", value: .int(totals.total)),
            (key: "expected_vat", value: .int(totals.expectedVAT)),
            (key: "expected_pit", value: .int(totals.expectedPIT)),
        ])
    }

    /// CSV: one line per seller and group (`row_type` `seller`), then one per group (`group_total`) and
    /// the overall total (`total`).
    public var csv: [UInt8] {
        var writer = CSVWriter()
        writer.row([
            "row_type", "category", "platform_seller_id", "seller_name", "tax_code", "national_id", "resident",
            "revenue", "vat", "pit", "total", "expected_vat", "expected_pit",
        ])
        for row in rows {
            writer.row([
                "seller", row.group.rawValue, row.platformSellerID, row.sellerName, row.taxCode, row.nationalID,
                row.resident ? "true" : "false", String(row.revenue), String(row.vat), String(row.pit),
                String(row.total), String(row.expectedVAT), String(row.expectedPIT),
            ])
        }
        func totalRow(_ type: String, _ group: String?, _ totals: Totals) -> [String?] {
            [
                type, group, nil, nil, nil, nil, nil, String(totals.revenue), String(totals.vat), String(totals.pit),
                String(totals.total), String(totals.expectedVAT), String(totals.expectedPIT),
            ]
        }
        for (group, totals) in groupTotals { writer.row(totalRow("group_total", group.rawValue, totals)) }
        writer.row(totalRow("total", nil, totals))
        return writer.bytes
    }

    /// XML in the layout of the paper form, columns named by their number on it:
    ///
    /// | element | column of 01-1/BK-CNKD-TMĐT |
    /// |---|---|
    /// | `ct02` | STT: the row's number, 1-based, through the whole schedule |
    /// | `ct03` | seller's name (tên người nộp thuế) |
    /// | `ct04` | tax code (mã số thuế), empty when the seller has none |
    /// | `ct05` | personal identification number (số định danh cá nhân), empty when none |
    /// | `ct06` | the seller's account id on the platform (`platform_seller_id`) |
    /// | `ct07` | residency: `1` resident, `0` non-resident |
    /// | `ct08` | business group (`goods`, `services`, `transport`, `other`, `unknown`) |
    /// | `ct09` | net revenue (doanh thu), đồng |
    /// | `ct10` | VAT withheld (thuế GTGT), đồng |
    /// | `ct11` | PIT withheld (thuế TNCN), đồng |
    /// | `ct12` | total withheld, `ct10 + ct11` |
    ///
    /// Rows sit in a `NhomNganh` element per business group, followed by its `TongNhom` (ct09–ct12 summed);
    /// `TongCong` holds the totals of the whole schedule, and a `LoaiTru` element names each record or
    /// seller left out (``PeriodSchedule/excluded``). Text is escaped, and characters XML 1.0 does not
    /// allow (control characters other than tab, line feed and carriage return; U+FFFE, U+FFFF) are
    /// replaced by U+FFFD, so the document is always well-formed.
    public var xml: [UInt8] {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<BangKe mauSo=\"\(xmlEscaped(Self.form))\" nenTang=\"\(xmlEscaped(platform))\" "
        text += "kyTinhThue=\"\(period.description)\">\n"
        var number = 0
        for (group, totals) in groupTotals {
            text += "  <NhomNganh ma=\"\(group.rawValue)\">\n"
            for row in rows where row.group == group {
                number += 1
                let cells: [(String, String)] = [
                    ("ct02", String(number)), ("ct03", row.sellerName), ("ct04", row.taxCode ?? ""),
                    ("ct05", row.nationalID ?? ""), ("ct06", row.platformSellerID), ("ct07", row.resident ? "1" : "0"),
                    ("ct08", row.group.rawValue), ("ct09", String(row.revenue)), ("ct10", String(row.vat)),
                    ("ct11", String(row.pit)), ("ct12", String(row.total)),
                ]
                text += "    <ChiTiet>" + cells.map { "<\($0)>\(xmlEscaped($1))</\($0)>" }.joined() + "</ChiTiet>\n"
            }
            text += "    <TongNhom>\(xmlTotals(totals))</TongNhom>\n"
            text += "  </NhomNganh>\n"
        }
        text += "  <TongCong>\(xmlTotals(totals))</TongCong>\n"
        for exclusion in excluded {
            text +=
                "  <LoaiTru doiTuong=\"\(xmlEscaped(exclusion.subject))\">\(xmlEscaped(exclusion.reason))</LoaiTru>\n"
        }
        text += "</BangKe>\n"
        return Array(text.utf8)
    }

    private func xmlTotals(_ totals: Totals) -> String {
        "<ct09>\(totals.revenue)</ct09><ct10>\(totals.vat)</ct10><ct11>\(totals.pit)</ct11><ct12>\(totals.total)</ct12>"
    }
}

/// Text safe inside an XML element or attribute.
func xmlEscaped(_ text: String) -> String {
    markupEscaped(text, apostrophe: "&apos;")
}

/// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities (HTML and XML alike), and every character
/// that XML 1.0 and HTML do not allow in a document (C0 controls other than tab, line feed and carriage
/// return; U+007F–U+009F; the noncharacters U+FFFE and U+FFFF) replaced by U+FFFD. Swift strings hold no
/// lone surrogates, so the result is always well-formed text.
func markupEscaped(_ text: String, apostrophe: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += apostrophe
        case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
        case _ where RecordLimits.isControl(scalar) || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
            result.unicodeScalars.append("\u{FFFD}")
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result
}
