import CellForge
import Foundation

/// The folder `ManifestGenerator.write` writes a manifest's files into before renaming them
/// into place: `.codegen-PID-UUID` inside the output folder (PID the writing process's id in
/// decimal, UUID in its canonical upper-case form).
///
/// A run killed before it removes its folder leaves it behind. Every run first removes such
/// leftovers: folders (never links or files) whose name has exactly this pattern, whose PID is
/// not a live process on this machine, and that were last modified more than
/// `AtomicFile.staleAge` ago. A live run's folder is kept on both counts: its process is alive
/// and it is being written into; the age also spares a run of another machine or container
/// writing into a shared folder, whose PID means nothing here.
enum StagingFolder {
    /// The start of every staging folder's name.
    static let prefix = ".codegen-"

    /// Creates a fresh staging folder in `directory`.
    /// - Throws: `CellForgeError.invalidArgument` if it cannot be created.
    static func create(in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("\(prefix)\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        } catch {
            throw CellForgeError.invalidArgument("output folder \(directory.path) is not writable: \(error.localizedDescription)")
        }
        return url
    }

    /// The PID in `entry` if it is a name `create(in:)` can produce, else nil.
    static func processIdentifier(in entry: String) -> pid_t? {
        guard entry.hasPrefix(prefix) else { return nil }
        let rest = entry.dropFirst(prefix.count)
        guard let dash = rest.firstIndex(of: "-") else { return nil }
        let digits = rest[..<dash], uuid = String(rest[rest.index(after: dash)...])
        guard let first = digits.first, first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let pid = pid_t(digits), UUID(uuidString: uuid)?.uuidString == uuid else { return nil }
        return pid
    }

    /// The leftover staging folders in `directory` (see the type's documentation), in name order.
    static func staleFolders(in directory: URL) -> [URL] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        let now = Date().timeIntervalSince1970
        return entries.sorted().compactMap { entry in
            guard let pid = processIdentifier(in: entry), !isAlive(pid) else { return nil }
            let path = directory.appendingPathComponent(entry).path
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR,
                  now - Double(info.st_mtim.tv_sec) > AtomicFile.staleAge else { return nil }
            return URL(fileURLWithPath: path, isDirectory: true)
        }
    }

    /// Removes `staleFolders(in:)` (best effort: one that cannot be removed stays).
    static func removeStale(in directory: URL) {
        for url in staleFolders(in: directory) { try? FileManager.default.removeItem(at: url) }
    }

    /// Whether a process with id `pid` runs on this machine (one of another user's counts).
    static func isAlive(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 || errno == EPERM }
}
