import Testing

@testable import TaxLinkWorkbench

@Suite("Workbench language")
struct WorkbenchLanguageTests {
    @Test(
        "the cookie wins, then Accept-Language, else Vietnamese",
        arguments: [
            (nil, nil, WorkbenchLanguage.vi), ("en", "vi", .en), ("vi", "en-US,en;q=0.9", .vi),
            (nil, "en-US,en;q=0.9", .en), (nil, "fr, vi;q=0.5, en;q=0.4", .vi), (nil, "vi;q=0, en;q=0.1", .en),
            (nil, "fr-FR", .vi), ("xx", "en", .en), (nil, "en;q=abc", .vi), (nil, ";;,,", .vi),
            (nil, "EN-gb", .en), (nil, "en;q=0.3, vi;q=0.3", .en), (nil, "en;q=0.300, vi;q=1", .vi),
        ] as [(String?, String?, WorkbenchLanguage)]
    )
    func choice(cookie: String?, acceptLanguage: String?, expected: WorkbenchLanguage) {
        #expect(WorkbenchLanguage.choose(cookie: cookie, acceptLanguage: acceptLanguage) == expected)
    }
}
