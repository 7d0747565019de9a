import CellForge
import CellForgeTestSupport
import Foundation
import Testing

/// Importing the same file gives the same model in every process. Swift seeds Dictionary and
/// Set iteration per process, so each import runs in a fresh child (`cellforge-load-probe
/// FORMAT-digest`, which prints a hash of every parameter bit); files whose reading would
/// depend on that order are refused, the same way each time, naming both tensors or layers.
@Suite(.serialized) struct ImportDeterminismTests {
    static let runs = 20
    static let formats = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/formats")

    /// The distinct outputs of `runs` imports of `url` with the probe's `format`.
    static func outcomes(_ format: String, _ url: URL) throws -> Set<String> {
        var seen: Set<String> = []
        for _ in 0..<runs {
            let r = try ChildProcess.run("cellforge-load-probe", [format, url.path])
            #expect(r.reason == .exit && r.status == 0, "\(format) \(url.lastPathComponent): \(r.error)")
            seen.insert(r.output.split(separator: "\n").first.map(String.init) ?? "")
        }
        return seen
    }

    @Test func everyFormatFixtureImportsToOneModel() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.formats.path).sorted()
        let cases: [(String, String)] = names.compactMap { name in
            if name.hasPrefix("rtneural_"), name.hasSuffix(".json"), !name.hasSuffix(".outputs.json") { return ("rtneural-digest", name) }
            if name.hasPrefix("keras_"), name.hasSuffix(".safetensors") { return ("keras-digest", name) }
            if name.hasPrefix("torch_") || name.hasPrefix("cellforge_export_"), name.hasSuffix(".safetensors") { return ("pytorch-digest", name) }
            return nil
        }
        #expect(cases.count >= 8, "\(cases)")
        var loaded = 0
        for (format, name) in cases {
            let seen = try Self.outcomes(format, Self.formats.appendingPathComponent(name))
            #expect(seen.count == 1, "\(name): \(seen.sorted())")
            if seen.first?.hasPrefix("loaded digest ") == true { loaded += 1 }
        }
        #expect(loaded >= 6, "most fixtures load (a bidirectional one and a two-name Keras stack are refused)")
    }

    /// Keras files whose layer order or tensor names are ambiguous: refused in every process,
    /// with the same message naming both.
    @Test func ambiguousKerasFilesAreRefusedInEveryProcess() throws {
        let model = try ModelParameters<Float>.random(ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [2, 3]), seed: 11)
        func file(_ names: [String]) -> SafeTensors {
            var file = SafeTensors()
            for (layer, name) in zip(model.recurrentLayers, names) {
                for (weight, tensor) in KerasWeights.tensors(layer).tensors { file[name + "/" + weight] = tensor }
            }
            return file
        }
        var h5Twice = file(["lstm", "lstm_1"])
        h5Twice["layers/lstm/cell/vars/0"] = h5Twice["lstm/kernel"]
        var plusZero = file(["lstm", "lstm_1"]).tensors.reduce(into: SafeTensors()) { out, entry in
            let (name, tensor) = entry
            let (layer, weight) = (name.split(separator: "/")[0], name.split(separator: "/")[1])
            out["layers/\(layer)/cell/vars/\(KerasWeights.tensorNames.firstIndex(of: String(weight))!)"] = tensor
        }
        plusZero["layers/lstm/cell/vars/+0"] = plusZero["layers/lstm_1/cell/vars/0"]
        let cases: [(SafeTensors, [String])] = [
            (file(["lstm", "lstm_0"]), ["\"lstm\" and \"lstm_0\"", "same place"]),
            (file(["lstm_1", "lstm_01"]), ["\"lstm_01\" and \"lstm_1\"", "same place"]),
            (h5Twice, ["\"layers/lstm/cell/vars/0\" and \"lstm/kernel\""]),
            (plusZero, ["layers/lstm/cell/vars/+0"]),
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keras-ambiguous-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (k, (weights, parts)) in cases.enumerated() {
            let url = folder.appendingPathComponent("case\(k).safetensors")
            try weights.write(to: url)
            let seen = try Self.outcomes("keras-digest", url)
            #expect(seen.count == 1, "case \(k): \(seen.sorted())")
            for outcome in seen {
                #expect(outcome.hasPrefix("refused: "), "case \(k): \(outcome)")
                for part in parts { #expect(outcome.contains(part), "case \(k): \(outcome) lacks \(part)") }
            }
        }
    }
}
