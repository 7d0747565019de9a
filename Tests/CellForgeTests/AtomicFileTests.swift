import CellForge
import Foundation
import Testing

/// Issue 14, findings 3 and 8: every file CellForge writes goes through `AtomicFile`, whose
/// temporary name cannot be predicted or planted, and leftovers of killed writes are removed.
@Suite struct AtomicFileTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func age(_ url: URL, seconds: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-seconds)], ofItemAtPath: url.path)
    }

    @Test func writesAndReplacesWholeLeavingNoTemporaryFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("a.bin")
        try AtomicFile.write(Data("old".utf8), to: url)
        try AtomicFile.write(Data("new contents".utf8), to: url)
        #expect(try Data(contentsOf: url) == Data("new contents".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.bin"])
    }

    /// A symbolic link at the target is replaced by the file; the file it pointed to is untouched.
    @Test func symlinkAtTargetIsReplacedNotFollowed() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let victim = folder.appendingPathComponent("victim"), url = folder.appendingPathComponent("a.bin")
        try Data("precious".utf8).write(to: victim)
        try FileManager.default.createSymbolicLink(at: url, withDestinationURL: victim)
        try AtomicFile.write(Data("new".utf8), to: url)
        #expect(try Data(contentsOf: victim) == Data("precious".utf8))
        var info = stat()
        #expect(lstat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG, "the target is now a regular file")
        #expect(try Data(contentsOf: url) == Data("new".utf8))
    }

    /// Finding 8: leftovers of this target older than `staleAge` are removed by the next write;
    /// younger ones (maybe a write in progress elsewhere) and other targets' are kept.
    @Test func staleTemporaryFilesAreRemovedByTheNextWrite() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("ckpt.safetensors")
        let stale = folder.appendingPathComponent(".ckpt.safetensors.cellforge-Ab3dE9.tmp")
        let young = folder.appendingPathComponent(".ckpt.safetensors.cellforge-Zz0000.tmp")
        let other = folder.appendingPathComponent(".other.safetensors.cellforge-Ab3dE9.tmp")
        let unrelated = folder.appendingPathComponent(".ckpt.safetensors.cellforge-toolongname.tmp")
        for f in [stale, young, other, unrelated] { try Data("partial".utf8).write(to: f) }
        for f in [stale, other, unrelated] { try Self.age(f, seconds: AtomicFile.staleAge + 60) }
        #expect(AtomicFile.staleTemporaryFiles(of: url.lastPathComponent, in: folder).map(\.lastPathComponent)
                == [stale.lastPathComponent])
        try AtomicFile.write(Data("x".utf8), to: url)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(left == Set([url, young, other, unrelated].map(\.lastPathComponent)))
    }

    /// A folder that does not exist: one line naming the file, the step and the reason.
    @Test func failureIsOneLine() throws {
        let url = URL(fileURLWithPath: "/nonexistent-cellforge-folder/a.bin")
        #expect(throws: CellForgeError.self) { try AtomicFile.write(Data(), to: url) }
        do { try AtomicFile.write(Data(), to: url) } catch {
            let message = "\(error)"
            #expect(message.hasPrefix("cannot write /nonexistent-cellforge-folder/a.bin: creating /nonexistent-cellforge-folder/.a.bin.cellforge-")
                    && message.hasSuffix(" failed: No such file or directory") && !message.contains("\n"), "\(message)")
        }
    }

    /// Replacing a file keeps its permission bits; a new file gets 0644 less the umask.
    @Test func replacingKeepsTheTargetsPermissionBits() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("private.safetensors")
        try AtomicFile.write(Data("old".utf8), to: url)
        let mask = umask(0o022)
        umask(mask)
        #expect(try Self.mode(url) == 0o644 & ~mask)
        for mode in [0o600, 0o640, 0o755] as [mode_t] {
            #expect(chmod(url.path, mode) == 0)
            try AtomicFile.write(Data("new".utf8), to: url)
            #expect(try Self.mode(url) == mode, "re-saving a \(String(mode, radix: 8)) file")
            #expect(try Data(contentsOf: url) == Data("new".utf8))
        }
    }

    static func mode(_ url: URL) throws -> mode_t {
        var info = stat()
        guard stat(url.path, &info) == 0 else { throw CellForgeError.invalidArgument("cannot stat \(url.path)") }
        return info.st_mode & 0o777
    }

    /// A path ending in "/" names a folder: refused in one line, nothing written at the name without it.
    @Test func pathEndingInSlashIsRefused() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for url in [URL(fileURLWithPath: folder.path + "/x.cfm/"), URL(fileURLWithPath: folder.path + "/x.cfm", isDirectory: true)] {
            #expect(url.hasDirectoryPath)
            do {
                try AtomicFile.write(Data("model".utf8), to: url)
                Issue.record("wrote \(url.path)")
            } catch {
                #expect("\(error)" == "cannot write \(folder.path)/x.cfm/: a path ending in \"/\" names a folder, not a file")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        do {
            try SafeTensors().write(to: URL(fileURLWithPath: folder.path + "/y.safetensors/"))
            Issue.record("SafeTensors.write wrote through a path ending in /")
        } catch {
            #expect("\(error)".contains("names a folder"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
