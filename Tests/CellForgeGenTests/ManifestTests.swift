import CellForge
import CellForgeGen
import Foundation
import Testing

/// `codegen --manifest`: parsing with one-line errors naming the entry and field, the files
/// and headers it writes, and that adding one entry makes one more kernel reachable.
@Suite struct ManifestTests {
    /// A fresh temporary folder holding `manifest` as kernels.json.
    func folder(manifest: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(manifest.utf8).write(to: folder.appendingPathComponent("kernels.json"))
        return folder
    }

    /// Runs codegen with `arguments`; returns status, stdout and stderr.
    func codegen(_ arguments: [String]) -> (Int32, String, String) {
        var out = "", err = ""
        let status = CodegenCommand.run(arguments, out: { out += $0 + "\n" }, err: { err += $0 + "\n" })
        return (status, out, err)
    }

    @Test func parsesEntriesWithDefaults() throws {
        let m = try KernelManifest.parse(Data("""
            {"registry": "MyKernels", "kernels": [{"cell": "lstm", "hidden": 20, "input": 1},
                                                  {"cell": "gru", "hidden": 12, "input": 2, "scalar": "double"}]}
            """.utf8), name: "k.json")
        #expect(m.registryName == "MyKernels")
        #expect(m.kernels == [try KernelSpec(cell: .lstm, hiddenSize: 20, inputSize: 1, scalar: .float),
                              try KernelSpec(cell: .gru, hiddenSize: 12, inputSize: 2, scalar: .double)])
        #expect(try KernelManifest.parse(Data("{\"kernels\": []}".utf8), name: "k.json").registryName == "Kernels")
    }

    static let badManifests: [(String, String)] = [
        ("[1]", "k.json: not a JSON object"),
        ("{\"kernels\": [], \"kernel\": []}", "k.json: unknown field \"kernel\""),
        ("{}", "k.json: missing field \"kernels\" (a list of kernel entries)"),
        ("{\"registry\": \"CellForgeKernels\", \"kernels\": []}", "k.json: \"registry\" must be a Swift type name, found a string \"CellForgeKernels\" (a name the generated code uses)"),
        ("{\"registry\": \"9x\", \"kernels\": []}", "\"registry\" must be a Swift type name"),
        ("{\"kernels\": [3]}", "k.json: kernels[0] must be an object, found a number 3"),
        ("{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": 8}]}", "k.json: kernels[0]: missing field \"input\""),
        ("{\"kernels\": [{\"hidden\": 8, \"input\": 8}]}", "kernels[0]: missing field \"cell\""),
        ("{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": 8, \"input\": 8, \"hiden\": 8}]}", "kernels[0]: unknown field \"hiden\""),
        ("{\"kernels\": [{\"cell\": \"cnn\", \"hidden\": 8, \"input\": 8}]}", "kernels[0]: field \"cell\" must be lstm, rnn or gru, found a string \"cnn\""),
        ("{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": 0, \"input\": 8}]}", "kernels[0]: field \"hidden\" must be an integer from 1 to 1024, found a number 0"),
        ("{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": 8, \"input\": 2000}]}", "kernels[0]: field \"input\" must be an integer from 1 to 1024, found a number 2000"),
        ("{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": 8, \"input\": 8, \"scalar\": \"half\"}]}", "field \"scalar\" must be float or double, found a string \"half\""),
        ("{\"kernels\": [{\"cell\": \"rnn\", \"hidden\": 2, \"input\": 1}, {\"cell\": \"rnn\", \"hidden\": 2, \"input\": 1, \"scalar\": \"float\"}]}",
         "k.json: kernels[1] repeats kernels[0] (RNN_H2_D1_Float)"),
    ]

    @Test(arguments: badManifests) func badManifestIsOneLineNamingEntryAndField(_ json: String, _ message: String) {
        do {
            _ = try KernelManifest.parse(Data(json.utf8), name: "k.json")
            Issue.record("accepted \(json)")
        } catch {
            let text = "\(error)"
            #expect(text.contains(message), "\(text)")
            #expect(!text.contains("\n"))
        }
    }

    @Test func badManifestExitsTwoAndWritesNothing() throws {
        let dir = try folder(manifest: "{\"kernels\": [{\"cell\": \"lstm\", \"hidden\": 8}]}")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, out, err) = codegen(["--manifest", dir.appendingPathComponent("kernels.json").path])
        #expect(status == 2 && out.isEmpty)
        #expect(err.hasPrefix("codegen: error: ") && err.contains("missing field \"input\"") && err.filter { $0 == "\n" }.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["kernels.json"])
        #expect(codegen(["--manifest", dir.appendingPathComponent("none.json").path]).0 == 2)
        #expect(codegen(["--manifest", "m.json", "--hidden", "8"]).2.contains("--hidden cannot be combined with --manifest"))
        #expect(codegen(["--hidden", "8", "--regenerate-with", "x"]).0 == 2)
    }

    @Test func missingOutputFolderExitsOneAndWritesNothing() throws {
        let dir = try folder(manifest: "{\"kernels\": [{\"cell\": \"rnn\", \"hidden\": 2, \"input\": 1}]}")
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("absent").path
        let (status, _, err) = codegen(["--manifest", dir.appendingPathComponent("kernels.json").path, "--output", missing])
        #expect(status == 1 && err.contains("output folder \(missing) does not exist"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["kernels.json"])
    }

    /// Adding one entry to a manifest adds one kernel file and one registry case; nothing else changes.
    @Test func addingOneEntryMakesOneMoreKernelReachable() throws {
        let before = "{\"registry\": \"StreamKernels\", \"kernels\": [\n  {\"cell\": \"lstm\", \"hidden\": 20, \"input\": 1}\n]}"
        let dir = try folder(manifest: before)
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = dir.appendingPathComponent("kernels.json").path
        #expect(codegen(["--manifest", manifest]).0 == 0)
        let lstm = try Data(contentsOf: dir.appendingPathComponent("LSTM_H20_D1_Float.swift"))
        let registryBefore = try String(contentsOf: dir.appendingPathComponent("KernelRegistry.swift"), encoding: .utf8)
        #expect(!registryBefore.contains("GRU_H12_D2_Float"))

        let after = before.replacingOccurrences(of: "\n]}", with: ",\n  {\"cell\": \"gru\", \"hidden\": 12, \"input\": 2}\n]}")
        try Data(after.utf8).write(to: URL(fileURLWithPath: manifest))
        let (status, out, _) = codegen(["--manifest", manifest])
        #expect(status == 0 && out.contains("wrote 2 kernels"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
                == ["GRU_H12_D2_Float.swift", "KernelRegistry.swift", "LSTM_H20_D1_Float.swift", "kernels.json"])
        #expect(try Data(contentsOf: dir.appendingPathComponent("LSTM_H20_D1_Float.swift")) == lstm)
        let registry = try String(contentsOf: dir.appendingPathComponent("KernelRegistry.swift"), encoding: .utf8)
        #expect(registry.contains("public enum StreamKernels: KernelRegistry {"))
        // No "vectorBits" in this manifest: the platform's width (256 bits on x86-64, 128 on arm64).
        let bits = KernelTarget.platformDefault.vectorBits, suffix = KernelTarget.platformDefault.nameSuffix
        #expect(registry.contains("KernelKey(kind: .gru, hiddenSize: 12, inputSize: 2, scalar: .float, vectorBits: \(bits)),"))
        #expect(registry.contains("case (.gru, 12, 2, .float, \(bits)): return try opener.open(GRU_H12_D2_Float\(suffix)())"))
        #expect(registry.contains("@inlinable\n    public static func open<O: KernelOpener>"))
    }

    /// A relu RNN entry is refused with the entry named: such layers run on the run-time kernel.
    @Test func reluRNNEntryIsRefused() {
        let json = "{\"kernels\": [{\"cell\": \"rnn\", \"hidden\": 2, \"input\": 1}, {\"cell\": \"rnn_relu\", \"hidden\": 2, \"input\": 1}]}"
        #expect(throws: CellForgeError.invalidArgument("k.json: kernels[1]: cell \"rnn_relu\" has no generated kernel: "
                                                       + "relu RNN layers run on the run-time kernel")) {
            try KernelManifest.parse(Data(json.utf8), name: "k.json")
        }
    }

    /// Headers name the manifest and --output when they are not the defaults.
    @Test func headersNameNonDefaultPaths() throws {
        let m = try KernelManifest.parse(Data("{\"kernels\": [{\"cell\": \"rnn\", \"hidden\": 2, \"input\": 1}]}".utf8), name: "k")
        let spec = m.kernels[0]
        let own = ManifestCommand(manifest: "Sources/My/kernels.json", output: nil, regenerateWith: nil).generator(for: m)
        let bits = KernelTarget.platformDefault.vectorBits
        #expect(own.kernelCommand(spec) == "swift run codegen --hidden 2 --input 1 --cell rnn --scalar float --vector-bits \(bits) --output Sources/My")
        #expect(own.registryCommand == "swift run codegen --manifest Sources/My/kernels.json")
        let elsewhere = ManifestCommand(manifest: "kernels.json", output: "Sources/My Kernels", regenerateWith: nil).generator(for: m)
        #expect(elsewhere.registryCommand == "swift run codegen --manifest kernels.json --output 'Sources/My Kernels'")
        let plugin = ManifestCommand(manifest: "/abs/kernels.json", output: "/work", regenerateWith: "swift build").generator(for: m)
        #expect(plugin.kernelCommand(spec) == "swift build" && plugin.registryCommand == "swift build")
        let root = ManifestCommand(manifest: "Generated/kernels.json", output: "Generated/", regenerateWith: nil).generator(for: m)
        #expect(root.kernelCommand(spec) == spec.command && root.registryCommand == "swift run codegen --manifest Generated/kernels.json")
    }
}
