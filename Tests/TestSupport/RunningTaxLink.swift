import Foundation

/// A `taxlink` process started by a test. Nothing here blocks a Swift concurrency thread: the
/// process's output is read on its own threads, so servers running inside the test process (the
/// mock ministry) keep answering while the test waits.
public final class RunningTaxLink: @unchecked Sendable {
    /// The process.
    public let process = Process()
    private let lock = NSLock()
    private var output = Data()
    private var errors = Data()
    private var errorsClosed = false
    private var waiters: [(@Sendable (String) -> Bool, CheckedContinuation<String, Never>)] = []
    private var exit: CheckedContinuation<Void, Never>?
    private var exited = false
    private let readers = DispatchGroup()

    /// Starts `taxlink` with `arguments` (through `/bin/sh -c` with the `shell` prefix when given).
    public init(
        _ arguments: [String],
        in directory: URL? = nil,
        environment: [String: String]? = nil,
        shell: String? = nil
    ) async throws {
        let binary = try await TaxLinkBinary.url()
        if let shell {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            let quoted = ([binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            process.arguments = ["-c", shell + " exec " + quoted.joined(separator: " ")]
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [self] _ in
            lock.withLock {
                exited = true
                return exit
            }?.resume()
        }
        try process.run()
        read(outputPipe.fileHandleForReading, isErrors: false)
        read(errorPipe.fileHandleForReading, isErrors: true)
    }

    private func read(_ handle: FileHandle, isErrors: Bool) {
        readers.enter()
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                let ready: [CheckedContinuation<String, Never>] = lock.withLock {
                    if isErrors {
                        errors.append(data)
                        if data.isEmpty { errorsClosed = true }
                        let text = String(decoding: errors, as: UTF8.self)
                        let (done, waiting) = waiters.partitioned { errorsClosed || $0.0(text) }
                        waiters = waiting
                        return done.map(\.1)
                    }
                    output.append(data)
                    return []
                }
                let text = lock.withLock { String(decoding: errors, as: UTF8.self) }
                for continuation in ready { continuation.resume(returning: text) }
                if data.isEmpty { break }
            }
            readers.leave()
        }
    }

    /// Waits until the standard error contains `text` (or is closed); returns all of it so far.
    public func standardError(containing text: String) async -> String {
        await standardError(where: { $0.contains(text) })
    }

    /// Waits until the standard error contains `text` at least `count` times (or is closed).
    public func standardError(containing text: String, count: Int) async -> String {
        await standardError(where: { $0.components(separatedBy: text).count - 1 >= count })
    }

    /// Waits until the standard error written so far satisfies `condition` (or is closed); returns it.
    public func standardError(where condition: @escaping @Sendable (String) -> Bool) async -> String {
        await withCheckedContinuation { continuation in
            let current: String? = lock.withLock {
                let written = String(decoding: errors, as: UTF8.self)
                if errorsClosed || condition(written) { return written }
                waiters.append((condition, continuation))
                return nil
            }
            if let current { continuation.resume(returning: current) }
        }
    }

    /// Waits for the process to end; returns how it ended and everything it wrote.
    public func finished() async -> TaxLinkBinary.Result {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done: Bool = lock.withLock {
                if exited { return true }
                exit = continuation
                return false
            }
            if done { continuation.resume() }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            readers.notify(queue: .global()) { continuation.resume() }
        }
        return lock.withLock {
            TaxLinkBinary.Result(
                reason: process.terminationReason,
                status: process.terminationStatus,
                standardOutput: String(decoding: output, as: UTF8.self),
                standardError: String(decoding: errors, as: UTF8.self)
            )
        }
    }

    /// Sends `signal` to the process.
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }
}

extension TaxLinkBinary {
    /// What a finished run of the binary left.
    public struct Result: Sendable {
        public var reason: Process.TerminationReason
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    /// Runs `taxlink` with `arguments` to the end (see ``RunningTaxLink/init(_:in:environment:shell:)``).
    public static func run(
        _ arguments: [String],
        in directory: URL? = nil,
        environment: [String: String]? = nil,
        shell: String? = nil
    ) async throws -> Result {
        try await RunningTaxLink(arguments, in: directory, environment: environment, shell: shell).finished()
    }
}

extension Array {
    fileprivate func partitioned(by matches: (Element) -> Bool) -> ([Element], [Element]) {
        var yes: [Element] = []
        var no: [Element] = []
        for element in self {
            if matches(element) { yes.append(element) } else { no.append(element) }
        }
        return (yes, no)
    }
}

extension RunningTaxLink {
    /// Starts `taxlink serve --port 0` with `arguments` and waits until it listens; returns it and its port.
    /// Throws ``TaxLinkBinary/Missing`` (with what the process wrote) when it ends without listening.
    public static func serve(
        _ arguments: [String],
        environment: [String: String]? = nil
    ) async throws -> (server: RunningTaxLink, port: Int) {
        let server = try await RunningTaxLink(["serve", "--port", "0"] + arguments, environment: environment)
        let text = await server.standardError(containing: "serving on")
        guard let range = text.range(of: #"serving on http://[^:]+:(\d+)"#, options: .regularExpression),
            let port = text[range].split(separator: ":").last.flatMap({ Int($0) })
        else {
            server.send(SIGKILL)
            throw TaxLinkBinary.Missing(description: "taxlink serve did not start listening:\n\(text.suffix(2000))")
        }
        return (server, port)
    }
}
