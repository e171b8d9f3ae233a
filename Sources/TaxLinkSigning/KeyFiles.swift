import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

/// Writes key material so that no other user can read it at any moment: the folder is created
/// 0700, every file is created with its final mode by `open(O_CREAT | O_EXCL)` (so the umask can
/// only narrow it, and nothing is chmod-ed afterwards), written, `fsync`ed, then moved into place.
enum KeyFiles {
    /// Makes `directory` private to its owner: a missing folder (and any missing parent) is created
    /// 0700; an existing one that group or others can reach (a pre-made 0755 `keys`, say) is narrowed
    /// to 0700. Existing parents are left as they are.
    static func makeDirectory(_ directory: URL) throws {
        let path = directory.path
        guard try !exists(path) else {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            guard let mode = (attributes?[.posixPermissions] as? NSNumber)?.uint16Value else {
                throw failure("cannot inspect", path)
            }
            if mode & 0o077 != 0, chmod(path, mode_t(mode & 0o700)) != 0 {
                throw failure("cannot make private (chmod 0700)", path)
            }
            return
        }
        try makeParents(directory.deletingLastPathComponent())
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw failure("cannot create the folder", path) }
    }

    /// Creates the missing folders above a key folder, 0700; existing ones are not touched.
    private static func makeParents(_ directory: URL) throws {
        let path = directory.path
        guard try !exists(path) else { return }
        try makeParents(directory.deletingLastPathComponent())
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw failure("cannot create the folder", path) }
    }

    /// Whether `path` is an existing folder; an existing file there is an error.
    private static func exists(_ path: String) throws -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
        guard isDirectory.boolValue else { throw KeyMaterialError("\(path) exists and is not a folder") }
        return true
    }

    /// Writes `bytes` to `url` with `mode` from the first byte. Without `replace`, an existing file
    /// is an error and is left untouched; with it, the file is replaced atomically.
    static func write(_ bytes: [UInt8], to url: URL, mode: mode_t, replace: Bool) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("cannot create", temporary) }
        defer { unlink(temporary) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return systemWrite(descriptor, base + written, buffer.count - written)
            }
            guard result > 0 else {
                let error = failure("cannot write", temporary)
                close(descriptor)
                throw error
            }
            written += result
        }
        guard fsync(descriptor) == 0 else {
            let error = failure("cannot flush", temporary)
            close(descriptor)
            throw error
        }
        close(descriptor)
        if replace {
            guard rename(temporary, url.path) == 0 else { throw failure("cannot move into place", url.path) }
        } else {
            // link(2) never replaces: it fails with EEXIST when the key is already there.
            guard link(temporary, url.path) == 0 else {
                if errno == EEXIST { throw KeyMaterialError("\(url.path) exists; pass --force to replace the keys") }
                throw failure("cannot move into place", url.path)
            }
        }
        syncDirectory(of: url)
    }

    /// Flushes the folder's entry of a file just moved into place (best effort: some file systems refuse).
    private static func syncDirectory(of url: URL) {
        let descriptor = open(url.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func failure(_ what: String, _ path: String) -> KeyMaterialError {
        KeyMaterialError("\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
