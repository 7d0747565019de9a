import CellForge

/// Version-1 cell checkpoint files, as CellForge wrote them before a cell became a one-layer
/// model: tensors `W`, `U`, `b` (`b_hn`) and the optimizer's under `momentum.velocity.`,
/// `adam.m.`, `adam.v.`; metadata `cellforge.checkpoint` "1", `cellforge.cell`,
/// `cellforge.hidden_size`, `cellforge.input_size`, then the scalar, optimizer, step count,
/// checksums and user entries as a model checkpoint has them. Made here from a one-layer model
/// checkpoint by moving the names back (the tensor data and checksums are the same bytes).
enum CellCheckpointFiles {
    /// The cell checkpoint file of the one-layer `checkpoint`.
    static func file<S: CellScalar>(_ checkpoint: ModelCheckpoint<S>) throws -> SafeTensors {
        let model = try checkpoint.safeTensors()
        guard case let .recurrent(layer) = checkpoint.parameters.architecture.layers[0] else {
            throw CellForgeError.invalidArgument("a cell checkpoint holds one recurrent layer")
        }
        func cellName(_ name: String) -> String { name.replacingOccurrences(of: "layer.0.", with: "") }
        var file = SafeTensors()
        for name in model.names { file[cellName(name)] = model[name] }
        for (key, value) in model.metadata where !key.hasPrefix("cellforge.layer") && key != "cellforge.model_checkpoint" {
            file.metadata[cellName(key)] = value
        }
        file.metadata["cellforge.checkpoint"] = "1"
        file.metadata["cellforge.cell"] = layer.kind.rawValue
        file.metadata["cellforge.hidden_size"] = String(layer.hiddenSize)
        file.metadata["cellforge.input_size"] = String(layer.inputSize)
        return file
    }

    /// A one-layer model checkpoint with random parameters and optimizer state (second moments ≥ 0) and some metadata.
    static func sample<S: CellScalar>(_ kind: CellKind, optimizer: String, hidden H: Int = 3, input D: Int = 2,
                                      stepCount: Int = 7, as _: S.Type = S.self) throws -> ModelCheckpoint<S> {
        let architecture = try ModelArchitecture(kind: kind, inputSize: D, hiddenSizes: [H])
        func random(_ seed: UInt64) -> ModelParameters<S> { ModelParameters<S>.random(architecture, seed: seed) }
        var v = random(3)
        v.layers[0].values = v.layers[0].values.map { $0.magnitude }
        let state: ModelOptimizerState<S> = switch optimizer {
        case "momentum": .momentum(velocity: random(2))
        case "adam": .adam(stepCount: stepCount, firstMoment: random(2), secondMoment: v)
        default: .none
        }
        return try ModelCheckpoint(parameters: random(1), optimizer: state, metadata: ["run": "sine", "epoch": "3"])
    }
}
