import CellForge
import Foundation

/// The readers the fuzzer can drive, chosen with the environment variable
/// `CELLFORGE_FUZZ_TARGET` (default `safetensors`). To fuzz another reader, add a case
/// here and a seed folder `Fuzz/corpus/<name>/`.
enum FuzzTarget: String, CaseIterable {
    /// `SafeTensors(data:)`; an accepted file must serialize and parse back to itself.
    case safetensors
    /// `ModelCheckpoint<Float>(_:)` on whatever `SafeTensors(data:)` accepts (the seeds: cell
    /// checkpoint files, which load as one-layer model checkpoints).
    case checkpoint
    /// `AnyModelFile.parse(data:)`, the model-file reader; an accepted model must write and
    /// read back to itself.
    case model
    /// `ModelCheckpoint(_:)` in the scalar type the header names, on whatever
    /// `SafeTensors(data:)` accepts; an accepted checkpoint must write and read back to itself.
    case modelCheckpoint = "model-checkpoint"
    /// `RTNeuralModel.parameters(json:)` as Float; an accepted model must export
    /// (`RTNeuralModel.json`) and import back to itself.
    case rtneural
    /// `KerasModelWeights.parameters(from:)` on whatever `SafeTensors(data:)` accepts, as
    /// Float; an accepted model must export under Keras's names and import back to itself.
    case keras

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["CELLFORGE_FUZZ_TARGET"] ?? "safetensors"
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("CELLFORGE_FUZZ_TARGET=\(name): use one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()

    /// Runs the reader on one input. Errors are the expected outcome for bad input; a crash,
    /// a sanitizer report or a failed round trip is a bug.
    func run(_ data: Data) {
        switch self {
        case .safetensors:
            guard let file = try? SafeTensors(data: data) else { return }
            let again = try? SafeTensors(data: file.serialized())
            precondition(again == file, "safetensors round trip changed the file")
        case .checkpoint:
            guard let file = try? SafeTensors(data: data) else { return }
            _ = try? ModelCheckpoint<Float>(file)
        case .model:
            guard let model = try? AnyModelFile.parse(data: data) else { return }
            let written = switch model {
            case let .float(m): m.safeTensors
            case let .double(m): m.safeTensors
            }
            let again = try? AnyModelFile.parse(data: written.serialized())
            precondition(again == model, "model file round trip changed the model")
        case .modelCheckpoint:
            guard let file = try? SafeTensors(data: data), let header = try? ModelFileHeader(file, kind: .checkpoint) else { return }
            switch header.scalar {
            case .float: Self.roundTrip(try? ModelCheckpoint<Float>(file))
            case .double: Self.roundTrip(try? ModelCheckpoint<Double>(file))
            }
        case .rtneural:
            guard let model = try? RTNeuralModel.parameters(json: data, as: Float.self) else { return }
            let again = try? RTNeuralModel.parameters(json: RTNeuralModel.json(model), as: Float.self)
            precondition(again == model, "RTNeural round trip changed the model")
        case .keras:
            guard let file = try? SafeTensors(data: data),
                  let model = try? KerasModelWeights.parameters(from: file, as: Float.self) else { return }
            let names = KerasModelWeights.layerNames(for: model.architecture)
            let again = try? KerasModelWeights.parameters(from: KerasModelWeights.tensors(model), layers: names.layers,
                                                          head: names.head, as: Float.self)
            precondition(again == model, "Keras round trip changed the model")
        }
    }

    /// Traps unless `checkpoint` (nil: refused, nothing to check) writes and reads back to itself.
    static func roundTrip<S: CellScalar>(_ checkpoint: ModelCheckpoint<S>?) {
        guard let checkpoint else { return }
        let again = try? ModelCheckpoint<S>(SafeTensors(data: checkpoint.safeTensors().serialized()))
        precondition(again == checkpoint, "model checkpoint round trip changed the checkpoint")
    }
}

/// libFuzzer's entry point: one input per call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    FuzzTarget.selected.run(data)
    return 0
}
