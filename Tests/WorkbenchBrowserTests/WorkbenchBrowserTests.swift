import Foundation
import TaxLinkReconcile
import TaxLinkStore
import TestSupport
import Testing

/// The analyst workbench in headless Chromium, driven through WebDriver against a real `taxlink serve`
/// holding the reconciled sample feeds. Fails, never skips, where Chromium or chromedriver is missing.
@Suite("Workbench in a real browser", .serialized)
struct WorkbenchBrowserTests {
    static let analyst = WorkbenchServer.Analyst(token: "tl-browser-analyst-5c81f0e2a9", name: "Nguyễn Thị Lan")
    static let note = "Đã đối chiếu với sàn, chờ bổ sung danh mục"

    @Test func anAnalystSignsInAndWorksThroughTheWorkbench() async throws {
        try await WorkbenchServer.withServer(analysts: [Self.analyst]) { server in
            try await HeadlessChromium.withSession { browser in
                let tour = WorkbenchTour(browser: browser, server: server, analyst: Self.analyst)
                try await tour.signIn()
                let list = try await tour.filter(code: "CATEGORY_UNKNOWN")
                let acknowledged = try await tour.acknowledgeFirstFinding(note: Self.note)
                try await tour.exportHasEveryFilteredFinding(
                    list,
                    pageSize: 5,
                    acknowledged: acknowledged,
                    note: Self.note
                )
                try await browser.navigate(to: list.url)
                let record = try await tour.openRecordFromFirstFinding()
                try await tour.fitsANarrowScreen(path: list.url)
                try await tour.fitsANarrowScreen(path: record)
                try await tour.signOut()
                try await expectRecorded(acknowledged, by: Self.analyst.name, in: server)
            }
        }
    }

    /// The change is stored with the signed-in person's name as its actor (not the role).
    private func expectRecorded(_ finding: String, by name: String, in server: WorkbenchServer) async throws {
        let store = try SQLiteStore(path: server.databasePath)
        let history = try await store.findingHistory(ids: [finding])[finding] ?? []
        let change = try #require(history.last { $0.to == .acknowledged })
        #expect(change.actor == name)
        #expect(change.note == Self.note)
    }

    @Test func aMissingBrowserFailsSayingWhatToInstall() throws {
        let error = try #require(throws: WebDriverError.self) {
            try HeadlessChromium.installation(searchPath: "/nonexistent-folder")
        }
        #expect(error.code == .browserMissing)
        #expect(error.message.contains("apt-get install chromium chromium-driver"))
        #expect(error.message.contains("chromium and chromedriver"))
    }
}
