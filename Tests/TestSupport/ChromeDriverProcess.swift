import Foundation

/// A `chromedriver` process listening on a free loopback port (`--port=0`: the driver picks the port
/// and prints it). Its output is read on a thread of its own, so waiting for it never blocks a Swift
/// concurrency thread; everything it wrote is kept for error messages.
final class ChromeDriverProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var output = Data()
    private var portFound: CheckedContinuation<Int?, Never>?
    private var portResult: Int??

    /// The port the driver listens on (127.0.0.1).
    private(set) var port = 0

    /// Starts `executable` and waits up to `timeout` until it says which port it listens on.
    init(executable: URL, timeout: Duration) async throws(WebDriverError) {
        let pipe = Pipe()
        process.executableURL = executable
        process.arguments = ["--port=0"]
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw WebDriverError(.driverDidNotStart, "\(executable.path) cannot be started", cause: error)
        }
        read(pipe.fileHandleForReading)
        let watchdog = Task { [self] in
            try await Task.sleep(for: timeout)
            terminate()
        }
        let port = await withCheckedContinuation { continuation in
            let known: Int?? = lock.withLock {
                if portResult == nil { portFound = continuation }
                return portResult
            }
            if let known { continuation.resume(returning: known) }
        }
        watchdog.cancel()
        guard let port else {
            terminate()
            throw WebDriverError(
                .driverDidNotStart,
                "\(executable.path) did not say which port it listens on within \(timeout); it wrote:\n"
                    + writtenText.suffix(2_000)
            )
        }
        self.port = port
    }

    /// Everything the driver wrote so far (standard output and error together).
    var writtenText: String { lock.withLock { String(decoding: output, as: UTF8.self) } }

    /// Ends the driver if it still runs. SIGKILL: a child started from the test process inherits its
    /// blocked signals, so SIGTERM would wait for ever (the browser is closed by then through WebDriver).
    func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private func read(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                let ready: (CheckedContinuation<Int?, Never>, Int?)? = lock.withLock {
                    output.append(data)
                    guard portResult == nil else { return nil }
                    let text = String(decoding: output, as: UTF8.self)
                    let port = Self.announcedPort(in: text)
                    guard port != nil || data.isEmpty else { return nil }
                    portResult = .some(port)
                    defer { portFound = nil }
                    return portFound.map { ($0, port) }
                }
                if let (continuation, port) = ready { continuation.resume(returning: port) }
                if data.isEmpty { break }
            }
        }
    }

    /// The port of `ChromeDriver was started successfully on port N.`, once the line is complete.
    static func announcedPort(in text: String) -> Int? {
        guard let range = text.range(of: #"started successfully on port \d+\."#, options: .regularExpression) else {
            return nil
        }
        return Int(text[range].dropLast().split(separator: " ").last ?? "")
    }
}
