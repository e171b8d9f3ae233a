/// Every interface string of the workbench, in Vietnamese and English.
///
/// Pages read the strings of their context's language (`context.text.signOut`). A page adds its own
/// strings in an extension in its own file, each written with ``pick(vi:en:)``.
public struct WorkbenchText: Sendable {
    /// The language of the strings.
    public let language: WorkbenchLanguage

    /// The strings of `language`.
    public init(_ language: WorkbenchLanguage) {
        self.language = language
    }

    /// The Vietnamese or the English text, by the language.
    public func pick(vi: String, en: String) -> String {
        language == .vi ? vi : en
    }

    // MARK: The chrome of every page

    /// The product's name.
    public var appName: String { "TaxLink" }
    /// The label of the main navigation.
    public var mainNavigation: String { pick(vi: "Điều hướng chính", en: "Main navigation") }
    /// The findings list in the navigation.
    public var navFindings: String { pick(vi: "Sai lệch", en: "Discrepancies") }
    /// The search page in the navigation.
    public var navSearch: String { pick(vi: "Tìm kiếm", en: "Search") }
    /// The schedule page in the navigation.
    public var navSchedule: String { pick(vi: "Bảng kê 01-1/BK", en: "Schedule 01-1/BK") }
    /// Before the signed-in person's name.
    public var signedInAs: String { pick(vi: "Người dùng:", en: "Signed in as") }
    /// The sign-out button.
    public var signOut: String { pick(vi: "Đăng xuất", en: "Sign out") }
    /// The label of the language switch.
    public var languageLabel: String { pick(vi: "Ngôn ngữ", en: "Language") }
    /// The name of the other language, as the switch offers it.
    public var otherLanguageName: String { pick(vi: "English", en: "Tiếng Việt") }
    /// The label of the search box in the header.
    public var searchLabel: String {
        pick(vi: "Tìm theo mã đơn, mã bản ghi hoặc mã số thuế", en: "Search by order id, record id or tax id")
    }
    /// The search button.
    public var searchButton: String { pick(vi: "Tìm", en: "Search") }

    // MARK: Error pages

    /// The heading of an error page.
    public var errorHeading: String { pick(vi: "Không thực hiện được yêu cầu", en: "The request could not be done") }
    /// The status line of an error page.
    public func errorStatus(_ status: Int) -> String { pick(vi: "Mã lỗi \(status)", en: "Error \(status)") }
    /// The way back from an error page.
    public var back: String { pick(vi: "← Quay lại", en: "← Back") }
    /// The words before the error's own message.
    public var whatWasWrong: String { pick(vi: "Lý do:", en: "What was wrong:") }
}
