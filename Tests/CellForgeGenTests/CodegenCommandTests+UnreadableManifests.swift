import CellForge
import CellForgeGen
import Foundation
import Testing

/// What `codegen --manifest` says when the manifest is a named pipe, a device or a folder, or
/// too large to read.
extension CodegenCommandTests {
    /// What one run printed and returned.
    final class Outcome: @unchecked Sendable {
        var status: Int32?, out = "", err = ""
    }

    /// Runs codegen with `arguments` on its own thread; gives up after 20 s, then calls
    /// `unblock` (so a run hung in `open` can finish) and returns what was seen by then.
    func runWithTimeout(_ arguments: [String], unblock: () -> Void) -> Outcome {
        let outcome = Outcome(), done = DispatchSemaphore(value: 0)
        Thread {
            let status = CodegenCommand.run(arguments, out: { outcome.out += $0 + "\n" }, err: { outcome.err += $0 + "\n" })
            outcome.status = status
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 20) == .timedOut {
            Issue.record("codegen \(arguments) still running after 20 s")
            unblock()
            _ = done.wait(timeout: .now() + 5)
        }
        return outcome
    }

    /// A FIFO, /dev/zero and a folder as the manifest: status 2 (bad input), one line naming
    /// what the path is, nothing written and no staging folder left.
    @Test func nonRegularManifestsExitTwoNamingWhatTheyAre() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-fifo-\(UUID().uuidString)")
        let output = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("kernels.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let subfolder = folder.appendingPathComponent("folder.json")
        try FileManager.default.createDirectory(at: subfolder, withIntermediateDirectories: false)
        for (path, kind) in [(fifo, "a named pipe (FIFO)"), ("/dev/zero", "a character device"), (subfolder.path, "a folder")] {
            let outcome = runWithTimeout(["--manifest", path, "--output", output.path]) {
                let writer = open(path, O_WRONLY | O_NONBLOCK)
                if writer >= 0 { close(writer) }
            }
            #expect(outcome.status == 2, "\(path)")
            #expect(outcome.out.isEmpty)
            #expect(outcome.err == "codegen: error: cannot read \(path): it is \(kind), not a regular file\n", "\(outcome.err)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty, "nothing written")
        }
    }

    /// A manifest over `KernelManifest.maximumFileSize` is refused before it is read: status 2,
    /// one line naming its size and the limit.
    @Test func oversizedManifestExitsTwoNamingItsSize() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-big-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("kernels.json")
        let size = KernelManifest.maximumFileSize + 1
        #expect(FileManager.default.createFile(atPath: manifest.path, contents: nil))
        #expect(truncate(manifest.path, off_t(size)) == 0, "a sparse file: nothing is written to disk")
        var err = ""
        let status = CodegenCommand.run(["--manifest", manifest.path], out: { _ in }, err: { err += $0 + "\n" })
        #expect(status == 2)
        #expect(err == "codegen: error: cannot read \(manifest.path): its \(size) bytes exceed the limit of \(size - 1)\n", "\(err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["kernels.json"], "nothing written")
    }
}
