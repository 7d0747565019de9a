import CellForge
import CellForgeGen
import Foundation
import Testing

/// `codegen --manifest` stages its files and replaces nothing unless it can replace
/// everything: targets are checked first, leftover staging folders of killed runs are removed,
/// and a large manifest validates in linear time.
@Suite struct ManifestStagingTests {
    /// A fresh temporary folder holding `manifest` as kernels.json.
    func folder(manifest: String) throws -> URL { try ManifestTests().folder(manifest: manifest) }

    /// Runs `codegen --manifest folder/kernels.json`; returns status and stderr.
    func codegen(in folder: URL) -> (Int32, String) {
        let (status, _, err) = ManifestTests().codegen(["--manifest", folder.appendingPathComponent("kernels.json").path])
        return (status, err)
    }

    static let twoKernels = "{\"vectorBits\": 256, \"kernels\": [{\"cell\": \"rnn\", \"hidden\": 2, \"input\": 1}, {\"cell\": \"gru\", \"hidden\": 3, \"input\": 1}]}"

    /// A target that is a folder or a FIFO is refused before any kernel file is replaced.
    @Test func unreplaceableTargetIsRefusedBeforeAnythingIsReplaced() throws {
        for (target, kind) in [("KernelRegistry.swift", "a folder"), ("GRU_H3_D1_Float.swift", "a named pipe (FIFO)")] {
            let dir = try folder(manifest: Self.twoKernels)
            defer { try? FileManager.default.removeItem(at: dir) }
            for name in ["RNN_H2_D1_Float.swift", "GRU_H3_D1_Float.swift", "KernelRegistry.swift"] where name != target {
                try Data("old".utf8).write(to: dir.appendingPathComponent(name))
            }
            let path = dir.appendingPathComponent(target).path
            if kind == "a folder" {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            } else {
                #expect(mkfifo(path, 0o600) == 0)
            }
            let before = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            let (status, err) = codegen(in: dir)
            #expect(status == 1)
            #expect(err == "codegen: error: cannot replace \(path): it is \(kind), not a regular file\n", "\(err)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == before, "no staging folder left")
            for name in before where name != target && name != "kernels.json" {
                #expect(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) == "old", "\(name) replaced")
            }
        }
    }

    /// Only staging folders of exactly the pattern, of no live process and older than
    /// `AtomicFile.staleAge` are removed; the run's own folder is gone too.
    @Test func staleStagingFoldersAreRemoved() throws {
        let dir = try folder(manifest: Self.twoKernels)
        defer { try? FileManager.default.removeItem(at: dir) }
        let dead = "2000000000", live = "\(ProcessInfo.processInfo.processIdentifier)", uuid = UUID().uuidString
        let old = Date().addingTimeInterval(-AtomicFile.staleAge - 60)
        func make(_ name: String, modified: Date) throws {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            try Data("partial".utf8).write(to: url.appendingPathComponent("RNN_H2_D1_Float.swift"))
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path)
        }
        try make(".codegen-\(dead)-\(uuid)", modified: old)
        let kept = [".codegen-\(live)-\(uuid)", ".codegen-\(dead)-\(UUID().uuidString)", ".codegen-\(dead)-\(uuid.lowercased())",
                    ".codegen-0\(dead)-\(uuid)", ".codegen-\(dead)-\(uuid)x", ".codegen-\(dead)"]
        for name in kept { try make(name, modified: name == kept[1] ? Date() : old) }
        #expect(codegen(in: dir).0 == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
                == (kept + ["GRU_H3_D1_Float.swift", "KernelRegistry.swift", "RNN_H2_D1_Float.swift", "kernels.json"]).sorted())
    }

    /// 10,000 entries validate within 2 s in a debug build (the duplicate check is one
    /// dictionary look-up per entry), and a repeat is still named with its first index.
    @Test func tenThousandEntriesValidateQuickly() throws {
        let entries = (0..<10_000).map { "{\"cell\": \"rnn\", \"hidden\": \($0 / 100 + 1), \"input\": \($0 % 100 + 1)}" }
        let clock = ContinuousClock()
        var manifest: KernelManifest?
        let elapsed = try clock.measure {
            manifest = try KernelManifest.parse(Data("{\"vectorBits\": 256, \"kernels\": [\(entries.joined(separator: ","))]}".utf8), name: "k.json")
        }
        #expect(manifest?.kernels.count == 10_000)
        #expect(elapsed < .seconds(2), "\(elapsed)")
        let repeated = "{\"vectorBits\": 256, \"kernels\": [\((entries + [entries[5_000]]).joined(separator: ","))]}"
        #expect(throws: CellForgeError.invalidArgument("k.json: kernels[10000] repeats kernels[5000] (RNN_H51_D1_Float)")) {
            try KernelManifest.parse(Data(repeated.utf8), name: "k.json")
        }
    }
}
