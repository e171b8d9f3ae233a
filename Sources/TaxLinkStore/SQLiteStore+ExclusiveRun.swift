import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SQLiteStore {
    /// Holds the run `name` with an exclusive `flock` on the file `<database>.<name>.lock` beside the
    /// database, opened anew for each run, so two processes (or two handles in one process) on the same
    /// file exclude each other. The kernel drops the lock when the holder's descriptor is closed, which
    /// happens when the process dies: a crashed holder leaves a file, never a lock. The holder writes
    /// its process id and start time into the file for the next caller to report.
    public func withExclusiveRun<T: Sendable>(
        _ name: String,
        _ body: @Sendable () async throws -> T
    ) async throws -> ExclusiveRun<T> {
        let path = Self.exclusiveRunPath(database: configuration.path, name: name)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreOpenError.lockFile(path, errno: errno) }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            guard failure == EWOULDBLOCK else { throw StoreOpenError.lockFile(path, errno: failure) }
            return .held(holder: Self.holder(in: descriptor, path: path))
        }
        Self.writeHolder(into: descriptor)
        defer {
            // Emptied before unlocking, so nobody reads a holder that has gone.
            _ = ftruncate(descriptor, 0)
            _ = flock(descriptor, LOCK_UN)
        }
        return .ran(try await body())
    }

    /// The lock file of run `name` beside `database`.
    static func exclusiveRunPath(database: String, name: String) -> String {
        "\(database).\(name).lock"
    }

    /// This process as the holder: `pid N since TIME`.
    private static func writeHolder(into descriptor: Int32) {
        let line = Array("pid \(getpid()) since \(Date.now.formatted(.iso8601))\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// What the holder wrote in the lock file, with the file named.
    private static func holder(in descriptor: Int32, path: String) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        let written = count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : ""
        let who = written.trimmingCharacters(in: .whitespacesAndNewlines)
        return who.isEmpty ? "a process with \(path) locked" : "\(who), lock file \(path)"
    }
}
