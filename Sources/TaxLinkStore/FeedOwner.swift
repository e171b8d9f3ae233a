import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process writing a `receiving` feed: its pid and, where `/proc` tells it, its start time
/// (field 22 of `/proc/<pid>/stat`, in clock ticks since boot), so a pid reused by a later process
/// is not taken for the writer. Opening the store abandons only feeds whose owner is gone.
struct FeedOwner: Equatable, Sendable {
    let pid: Int32
    let startTime: UInt64?

    /// This process.
    static let current = FeedOwner(pid: getpid(), startTime: startTime(of: getpid()))

    /// The owner as stored in `feeds.owner`: `pid` or `pid:start`.
    var stored: String {
        startTime.map { "\(pid):\($0)" } ?? "\(pid)"
    }

    init(pid: Int32, startTime: UInt64?) {
        self.pid = pid
        self.startTime = startTime
    }

    /// The owner read back from `feeds.owner`; `nil` when the text is not one.
    init?(stored: String) {
        let parts = stored.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let pid = Int32(parts[0]), pid > 0 else { return nil }
        var startTime: UInt64?
        if parts.count == 2 {
            guard let start = UInt64(parts[1]) else { return nil }
            startTime = start
        }
        self.init(pid: pid, startTime: startTime)
    }

    /// Whether the owning process still runs: its pid exists and, when both are known, started
    /// at the recorded time.
    var isAlive: Bool {
        if kill(pid, 0) == -1, errno == ESRCH { return false }
        guard let startTime, let now = Self.startTime(of: pid) else { return true }
        return now == startTime
    }

    /// Field 22 of `/proc/<pid>/stat`, or `nil` without `/proc` (the command name, field 2, may
    /// hold spaces and parentheses, so fields are counted after its last `)`).
    private static func startTime(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (the state), so field 22 is fields[19].
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }
}
