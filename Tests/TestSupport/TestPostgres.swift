import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The PostgreSQL server the tests use: `TAXLINK_TEST_POSTGRES_URL` when it is set (a superuser
/// URL, `postgres://postgres@127.0.0.1:5432/postgres`), otherwise one throwaway cluster per test
/// process, made with the installed `initdb` and `pg_ctl` on a free loopback port with trust
/// authentication (as the `postgres` user when the tests run as root, since PostgreSQL refuses
/// root), and removed when the process exits.
///
/// Where PostgreSQL is not installed the tests fail with ``Unavailable``, saying how to install
/// it: they never skip.
public enum TestPostgres {
    /// Why no PostgreSQL server could be had.
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public let description: String

        /// An error saying `description`.
        public init(description: String) {
            self.description = description
        }
    }

    /// The variable naming a server to use instead of a throwaway cluster.
    public static let urlVariable = "TAXLINK_TEST_POSTGRES_URL"

    /// The URL of a superuser session on the server's `postgres` database, starting the
    /// throwaway cluster on first use.
    public static func url() throws -> String {
        try server.get()
    }

    private static let server: Result<String, Unavailable> = Result {
        if let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty { return url }
        return try startCluster()
    }.mapError { $0 as? Unavailable ?? Unavailable(description: "\($0)") }

    /// The cluster's folder, removed at exit (`nil` until one was started).
    nonisolated(unsafe) private static var clusterFolder: String?
    nonisolated(unsafe) private static var pgCtl: String?

    private static func startCluster() throws -> String {
        let binaries = try findBinaries()
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("taxlink-test-pg-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let asRoot = getuid() == 0
        if asRoot {
            try run("/bin/chown", ["postgres:postgres", folder], asPostgres: false, what: "chown of the cluster folder")
        }
        clusterFolder = folder
        pgCtl = binaries.pgCtl
        atexit { TestPostgres.removeCluster() }
        let data = folder + "/data"
        try run(
            binaries.initdb, ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
            asPostgres: asRoot, what: "initdb")
        let port = try freePort()
        let options = "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(folder) -c fsync=off"
            + " -c max_connections=200"
        try run(
            binaries.pgCtl, ["-D", data, "-o", options, "-l", folder + "/server.log", "-w", "-t", "60", "start"],
            asPostgres: asRoot, what: "pg_ctl start")
        return "postgres://postgres@127.0.0.1:\(port)/postgres"
    }

    /// Stops the cluster at once and removes its folder (registered with `atexit`).
    private static func removeCluster() {
        guard let folder = clusterFolder, let pgCtl else { return }
        _ = try? run(pgCtl, ["-D", folder + "/data", "-m", "immediate", "-w", "stop"], asPostgres: getuid() == 0, what: "pg_ctl stop")
        try? FileManager.default.removeItem(atPath: folder)
    }

    private static func findBinaries() throws -> (initdb: String, pgCtl: String) {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        var folders = versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        folders += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for folder in folders
        where FileManager.default.isExecutableFile(atPath: folder + "/initdb")
            && FileManager.default.isExecutableFile(atPath: folder + "/pg_ctl")
        {
            return (folder + "/initdb", folder + "/pg_ctl")
        }
        throw Unavailable(
            description: "PostgreSQL is not installed (no initdb and pg_ctl in /usr/lib/postgresql/*/bin or PATH): "
                + "install it with `apt-get install postgresql`, or set \(urlVariable) to a server's superuser URL")
    }

    /// Runs a program to its end; as the `postgres` user (through `runuser`) when asked.
    @discardableResult
    private static func run(_ program: String, _ arguments: [String], asPostgres: Bool, what: String) throws -> String {
        let process = Process()
        if asPostgres {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", program] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            throw Unavailable(description: "\(what): cannot start \(program): \(error)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Unavailable(description: "\(what) failed (exit \(process.terminationStatus)):\n\(text.suffix(2000))")
        }
        return text
    }

    /// A loopback TCP port nothing listens on now (the kernel's choice for port 0).
    private static func freePort() throws -> Int {
        #if canImport(Glibc)
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socketDescriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socketDescriptor >= 0 else { throw Unavailable(description: "no socket for a free port") }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socketDescriptor, generic, length) == 0 && getsockname(socketDescriptor, generic, &length) == 0
            }
        }
        guard bound else { throw Unavailable(description: "cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
