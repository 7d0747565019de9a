import CellForge
import Foundation
import Testing

/// Loading a model file or model checkpoint costs memory bounded by the file's size: a tiny
/// file declaring a huge architecture is refused (missing tensors first, then wrong shapes)
/// before anything is allocated for the declared parameters. Measured in a child process;
/// under a sanitizer (CI's TSan and ASan runs) only the refusals are checked, not the bound.
@Suite(.serialized) struct ModelLoadMemoryTests {
    /// How far above the probe's own baseline a refused tiny file may take the peak.
    static let slackKiB = 64 * 1024

    /// The metadata of a file (`checkpoint`: a model checkpoint with Adam) declaring `layers`
    /// LSTM layers of H = D = 4096 in Float, and no tensors.
    static func hugeDeclaration(layers: Int, checkpoint: Bool) -> [String: String] {
        var info = ["cellforge.scalar": "Float", "cellforge.layer_count": String(layers)]
        if checkpoint {
            info["cellforge.model_checkpoint"] = "1"
            info["cellforge.optimizer"] = "adam"
            info["cellforge.adam.step_count"] = "1"
        } else {
            info["cellforge.model"] = "1"
        }
        for l in 0..<layers {
            for (field, value) in ["cell": "lstm", "hidden_size": "4096", "input_size": "4096"] {
                info["cellforge.layer.\(l).\(field)"] = value
            }
        }
        return info
    }

    /// The probe's peak for a small valid model file: the process's own footprint.
    static func baseline(in folder: URL) throws -> Int? {
        let url = folder.appendingPathComponent("small.safetensors")
        try ModelFile(parameters: ModelParameters<Float>.random(ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [4]), seed: 1))
            .save(to: url)
        guard let outcome = try LoadProbe.run("model", url) else { return nil }
        #expect(outcome.result == "loaded", "\(outcome.result)")
        return outcome.peakKiB
    }

    @Test func tinyFilesDeclaringHugeModelsAreRefusedWithinBoundedMemory() throws {
        let folder = try LoadProbe.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = try #require(try Self.baseline(in: folder))
        for (layers, checkpoint) in [(1, false), (8, false), (1024, false), (8, true)] {
            let url = folder.appendingPathComponent("huge-\(layers)-\(checkpoint).safetensors")
            try SafeTensors(metadata: Self.hugeDeclaration(layers: layers, checkpoint: checkpoint)).write(to: url)
            let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
            for format in checkpoint ? ["model-checkpoint-float"] : ["model"] {
                guard let outcome = try LoadProbe.run(format, url) else { continue }
                #expect(outcome.result.hasPrefix("refused:") && outcome.result.contains("missing \"layer.0.W\""),
                        "\(layers) layers, \(size) bytes: \(outcome.result.prefix(200))")
                #expect(outcome.sanitized || outcome.peakKiB < base + Self.slackKiB,
                        "\(layers) layers in \(size) bytes: peak \(outcome.peakKiB) KiB, baseline \(base) KiB")
            }
        }
    }

    /// Every tensor present but tiny: the first wrong shape is named, nothing is allocated first.
    @Test func tinyTensorsForHugeModelsAreRefusedWithinBoundedMemory() throws {
        let folder = try LoadProbe.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = try #require(try Self.baseline(in: folder))
        for checkpoint in [false, true] {
            let layers = 8
            var tensors: [String: SafeTensors.Tensor] = [:]
            for prefix in checkpoint ? ["", "adam.m.", "adam.v."] : [""] {
                for l in 0..<layers {
                    for name in ["W", "U", "b"] { tensors["\(prefix)layer.\(l).\(name)"] = try SafeTensors.Tensor(shape: [1], values: [Float(0)]) }
                }
            }
            let url = folder.appendingPathComponent("tiny-tensors-\(checkpoint).safetensors")
            try SafeTensors(tensors: tensors, metadata: Self.hugeDeclaration(layers: layers, checkpoint: checkpoint)).write(to: url)
            guard let outcome = try LoadProbe.run(checkpoint ? "model-checkpoint-float" : "model", url) else { continue }
            #expect(outcome.result.hasPrefix("refused:") && outcome.result.contains("layer.0.W")
                    && outcome.result.contains("[16384, 4096]"), "\(outcome.result)")
            #expect(outcome.sanitized || outcome.peakKiB < base + Self.slackKiB, "peak \(outcome.peakKiB) KiB, baseline \(base) KiB")
        }
    }
}
