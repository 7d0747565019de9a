import CellForge
import Foundation
import Testing

/// No loader blocks on, or reads forever from, something that is not a regular file: a named
/// pipe without a writer, a folder or /dev/zero given as a model file, checkpoint, RTNeural
/// JSON or Keras/safetensors file is refused in one line naming what it is. Each load runs in
/// the probe child process, killed after a timeout, so a regression fails instead of hanging.
@Suite(.serialized) struct NonRegularFileLoadTests {
    static let formats = ["model", "model-checkpoint-float", "model-checkpoint-double", "cell-checkpoint", "rtneural", "keras",
                          "safetensors"]

    func expectRefused(_ url: URL, as kind: String) throws {
        for format in Self.formats {
            guard let outcome = try LoadProbe.run(format, url, timeout: 20) else { continue }
            #expect(outcome.result == "refused: cannot read \(url.path): it is \(kind), not a regular file",
                    "\(format): \(outcome.result)")
        }
    }

    @Test func namedPipeIsRefusedWithoutBlocking() throws {
        let folder = try LoadProbe.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("model.safetensors")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        try expectRefused(fifo, as: "a named pipe (FIFO)")
    }

    @Test func folderIsRefused() throws {
        let folder = try LoadProbe.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inner = folder.appendingPathComponent("model.safetensors")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: false)
        try expectRefused(inner, as: "a folder")
    }

    @Test func characterDeviceIsRefused() throws {
        try expectRefused(URL(fileURLWithPath: "/dev/zero"), as: "a character device")
    }
}
