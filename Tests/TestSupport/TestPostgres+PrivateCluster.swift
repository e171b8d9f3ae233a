import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TestPostgres {
    /// A throwaway cluster of one test's own (its own data folder and port), which the test may
    /// stop and start again; made even when ``urlVariable`` names a shared server, since stopping
    /// that one would break the other tests. ``remove()`` stops it for good and deletes its folder.
    public final class PrivateCluster: Sendable {
        /// A superuser URL on the cluster's `postgres` database.
        public let url: String
        private let folder: String
        private let pgCtl: String
        private let options: String
        private let asRoot = getuid() == 0

        /// Makes the cluster (`initdb`) on a free loopback port and starts it.
        public init() throws {
            let binaries = try TestPostgres.findBinaries()
            folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("taxlink-test-pg-private-\(getpid())-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            if asRoot {
                try TestPostgres.run(
                    "/bin/chown", ["postgres:postgres", folder], asPostgres: false, what: "chown of the cluster folder")
            }
            pgCtl = binaries.pgCtl
            try TestPostgres.run(
                binaries.initdb, ["-D", folder + "/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
                asPostgres: asRoot, what: "initdb")
            let port = try TestPostgres.freePort()
            options = "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(folder) -c fsync=off"
            url = "postgres://postgres@127.0.0.1:\(port)/postgres"
            try start()
        }

        /// Starts the server and waits until it accepts connections.
        public func start() throws {
            try TestPostgres.run(
                pgCtl, ["-D", folder + "/data", "-o", options, "-l", folder + "/server.log", "-w", "-t", "60", "start"],
                asPostgres: asRoot, what: "pg_ctl start")
        }

        /// Stops the server with `mode` (`fast`: sessions are ended and the server shuts down
        /// cleanly; `immediate`: it quits at once, as in a crash) and waits until it is gone.
        public func stop(mode: String = "fast") throws {
            try TestPostgres.run(
                pgCtl, ["-D", folder + "/data", "-m", mode, "-w", "-t", "60", "stop"],
                asPostgres: asRoot, what: "pg_ctl stop")
        }

        /// Stops the server at once (when it runs) and deletes the cluster's folder.
        public func remove() {
            let stop = [pgCtl, "-D", folder + "/data", "-m", "immediate", "-w", "stop"]
            TestPostgres.spawnAndWait(asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + stop : stop)
            try? FileManager.default.removeItem(atPath: folder)
        }
    }
}
