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
    public static func url() async throws -> String {
        try await server.value
    }

    private static let server = Task<String, any Error> {
        if let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty { return url }
        return try startCluster()
    }

    /// The cluster's folder, removed at exit (`nil` until one was started).
    nonisolated(unsafe) private static var clusterFolder: String?
    nonisolated(unsafe) private static var pgCtl: String?

    private static func startCluster() throws -> String {
        let binaries = try findBinaries()
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("taxlink-test-pg-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(
            atPath: folder,
            withIntermediateDirectories: false,
            attributes: [.posixPermissions: 0o700]
        )
        let asRoot = getuid() == 0
        if asRoot {
            try run(
                "/bin/chown",
                ["postgres:postgres", folder],
                asPostgres: false,
                what: "chown of the cluster folder"
            )
        }
        clusterFolder = folder
        pgCtl = binaries.pgCtl
        atexit { TestPostgres.removeCluster() }
        let data = folder + "/data"
        try run(
            binaries.initdb,
            ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
            asPostgres: asRoot,
            what: "initdb"
        )
        let port = try freePort()
        let options =
            "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(folder) -c fsync=off"
            + " -c max_connections=200"
        try run(
            binaries.pgCtl,
            ["-D", data, "-o", options, "-l", folder + "/server.log", "-w", "-t", "60", "start"],
            asPostgres: asRoot,
            what: "pg_ctl start"
        )
        return "postgres://postgres@127.0.0.1:\(port)/postgres"
    }

    /// Stops the cluster at once and removes its folder (registered with `atexit`).
    private static func removeCluster() {
        guard let folder = clusterFolder, let pgCtl else { return }
        let stop = [pgCtl, "-D", folder + "/data", "-m", "immediate", "-w", "stop"]
        spawnAndWait(getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + stop : stop)
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func findBinaries() throws -> (initdb: String, pgCtl: String) {
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
                + "install it with `apt-get install postgresql`, or set \(urlVariable) to a server's superuser URL"
        )
    }

    /// Runs a program to its end, as the `postgres` user (through `runuser`) when asked; its
    /// output goes to a file, read for the message when it fails.
    static func run(_ program: String, _ arguments: [String], asPostgres: Bool, what: String) throws {
        let command = (asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []) + [program] + arguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taxlink-test-pg-\(UUID().uuidString).log"
        )
        defer { try? FileManager.default.removeItem(at: log) }
        let status = spawnAndWait(command, output: log.path)
        guard status == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw Unavailable(description: "\(what) failed (status \(status)):\n\(text.suffix(2000))")
        }
    }

    /// Runs a program to its end with `posix_spawn` and `waitpid`, its output appended to the
    /// file at `output`, and returns its wait status (-1 when it
    /// cannot start). Not `Process`: `Process` notices the end of a child through a descriptor the
    /// child inherits, and the server that `pg_ctl start` leaves running would hold it for ever.
    @discardableResult
    static func spawnAndWait(_ arguments: [String], output: String = "/dev/null") -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, arguments[0], &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        return status
    }

    /// A loopback TCP port nothing listens on now (the kernel's choice for port 0).
    static func freePort() throws -> Int {
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
