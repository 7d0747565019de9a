import Foundation

/// The one way CellForge writes a file (checkpoints and other safetensors files, generated
/// kernels): atomically, so readers see the old file or the complete new one, never a part.
///
/// `write(_:to:)` creates a temporary file in the target's folder under a fresh random name
/// `.NAME.cellforge-XXXXXX.tmp` (NAME the target's file name, X six random letters or
/// digits), opened with `O_CREAT | O_EXCL | O_NOFOLLOW`, so a file or symbolic link planted at
/// that name is never opened or followed; writes everything; `fsync`s it; renames it over the
/// target (which replaces a symbolic link at the target itself, never the file it points to);
/// and `fsync`s the folder, so the rename survives a crash. On any failure the temporary file
/// is removed and the target is left as it was.
///
/// Permissions: replacing an existing file keeps its permission bits (a 0600 file stays
/// 0600); a new file gets 0644 less the process's umask. A target path ending in "/" names
/// a folder and is refused.
///
/// A process killed mid-write leaves its temporary file behind. The next write to the same
/// target removes such leftovers of that target (names of exactly this pattern) that are
/// older than `staleAge`; younger ones may belong to a write still in progress in another
/// process and are kept.
public enum AtomicFile {
    /// How old a leftover temporary file must be before a later write removes it: 10 minutes.
    public static var staleAge: TimeInterval { 600 }

    /// Writes `data` to `url` atomically (see the type's documentation).
    /// - Throws: `CellForgeError.invalidArgument`, one line naming the file, the step that
    ///   failed and the system's reason.
    public static func write(_ data: Data, to url: URL) throws {
        guard !url.hasDirectoryPath, !url.path.hasSuffix("/") else {
            let shown = url.path.hasSuffix("/") ? url.path : url.path + "/"
            throw CellForgeError.invalidArgument("cannot write \(shown): a path ending in \"/\" names a folder, not a file")
        }
        let folder = url.deletingLastPathComponent()
        let name = url.lastPathComponent
        removeStaleTemporaryFiles(of: name, in: folder)
        func fail(_ step: String, _ path: String) -> CellForgeError {
            .invalidArgument("cannot write \(url.path): \(step) \(path) failed: \(String(cString: strerror(errno)))")
        }
        var target = stat()
        let existingMode = stat(url.path, &target) == 0 && target.st_mode & S_IFMT == S_IFREG ? target.st_mode & 0o777 : nil
        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<16 where fd < 0 {
            temporary = folder.appendingPathComponent(temporaryName(of: name)).path
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd < 0 && errno != EEXIST { break }
        }
        guard fd >= 0 else { throw fail("creating", temporary) }
        var isOpen = true
        do {
            if let existingMode { guard fchmod(fd, existingMode) == 0 else { throw fail("setting the permissions of", temporary) } }
            try data.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { throw fail("writing", temporary) }
                    done += n
                }
            }
            guard fsync(fd) == 0 else { throw fail("flushing", temporary) }
            isOpen = false
            guard close(fd) == 0 else { throw fail("closing", temporary) }
            guard rename(temporary, url.path) == 0 else { throw fail("renaming onto", url.path) }
        } catch {
            if isOpen { close(fd) }
            unlink(temporary)
            throw error
        }
        try syncFolder(folder, fail: fail)
    }

    /// Flushes `folder`'s entries (the rename) to disk; a file system that cannot sync
    /// folders (EINVAL) is accepted.
    private static func syncFolder(_ folder: URL, fail: (String, String) -> CellForgeError) throws {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("opening folder", folder.path) }
        defer { close(fd) }
        guard fsync(fd) == 0 || errno == EINVAL else { throw fail("flushing folder", folder.path) }
    }

    /// A fresh temporary name for the file called `name`.
    static func temporaryName(of name: String) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var rng = SystemRandomNumberGenerator()
        let suffix = String((0..<6).map { _ in alphabet[Int(rng.next(upperBound: UInt(alphabet.count)))] })
        return ".\(name).cellforge-\(suffix).tmp"
    }

    /// Whether `entry` is a temporary name `temporaryName(of: name)` can produce.
    static func isTemporaryName(_ entry: String, of name: String) -> Bool {
        let prefix = ".\(name).cellforge-", suffix = ".tmp"
        guard entry.hasPrefix(prefix), entry.hasSuffix(suffix), entry.count == prefix.count + 6 + suffix.count else {
            return false
        }
        return entry.dropFirst(prefix.count).dropLast(suffix.count).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// The leftover temporary files of `name` in `folder` older than `staleAge`.
    public static func staleTemporaryFiles(of name: String, in folder: URL) -> [URL] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        let now = Date().timeIntervalSince1970
        return entries.filter { isTemporaryName($0, of: name) }.sorted().compactMap { entry in
            let path = folder.appendingPathComponent(entry).path
            var info = stat()
            guard lstat(path, &info) == 0, now - Double(info.st_mtim.tv_sec) > staleAge else { return nil }
            return URL(fileURLWithPath: path)
        }
    }

    /// Removes `staleTemporaryFiles(of:in:)` (best effort: one that cannot be removed stays).
    static func removeStaleTemporaryFiles(of name: String, in folder: URL) {
        for url in staleTemporaryFiles(of: name, in: folder) { unlink(url.path) }
    }
}
