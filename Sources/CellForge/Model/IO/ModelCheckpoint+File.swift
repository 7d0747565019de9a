import Foundation

/// The names a model checkpoint file adds to `ModelFormat`'s.
enum ModelCheckpointFormat {
    /// The format tag's metadata key.
    static let formatKey = "cellforge.model_checkpoint"
    /// The format versions read (as `ModelFile`'s); the last is written.
    static let versions = ["1", "2"]
    /// What messages call this kind of file.
    static let what = "model checkpoint"
    /// `ModelOptimizerState.name`: "none", "momentum" or "adam".
    static let optimizerKey = "cellforge.optimizer"
    /// Adam's step count, in decimal (Adam only).
    static let adamStepCountKey = "cellforge.adam.step_count"

    /// The optimizer state's tensors with their name prefixes, as in cell checkpoint files
    /// (`momentum.velocity.`, `adam.m.`, `adam.v.`) before the model's names.
    static func states<S: CellScalar>(_ optimizer: ModelOptimizerState<S>) -> [(prefix: String, values: ModelParameters<S>)] {
        switch optimizer {
        case .none: []
        case let .momentum(v): [("momentum.velocity.", v)]
        case let .adam(_, m, v): [("adam.m.", m), ("adam.v.", v)]
        }
    }

    /// Every optimizer's tensor-name prefixes.
    static let optimizerPrefixes = ["momentum.velocity.", "adam.m.", "adam.v."]

    /// The tensor-name prefixes of the optimizer called `name`, or nil if unknown.
    static func prefixes(_ name: String) -> [String]? {
        switch name {
        case "none": []
        case "momentum": ["momentum.velocity."]
        case "adam": ["adam.m.", "adam.v."]
        default: nil
        }
    }
}

extension ModelCheckpoint {
    /// The checkpoint as a safetensors file: the model's tensors as in `ModelFile`, the
    /// optimizer's under the same names prefixed `momentum.velocity.`, or `adam.m.` and
    /// `adam.v.`; `__metadata__` with the architecture (`ModelFormat`), the format tag
    /// `"cellforge.model_checkpoint": "1"`, `cellforge.optimizer`, `cellforge.adam.step_count`
    /// (Adam only), the tensors' checksums (`TensorChecksums`) and the user's entries.
    /// - Throws: as `validate()`.
    public func safeTensors() throws -> SafeTensors {
        try validate()
        var tensors: [String: SafeTensors.Tensor] = [:]
        for (prefix, values) in [("", parameters)] + ModelCheckpointFormat.states(optimizer) {
            for t in ModelFormat.tensors(of: values, prefix: prefix) {
                // Shapes match the value counts by construction.
                tensors[t.name] = try! SafeTensors.Tensor(shape: t.shape, values: Array(t.values))
            }
        }
        var info = metadata.merging(ModelFormat.metadata(parameters.architecture, scalar: Scalar.self)) { _, own in own }
        info[ModelCheckpointFormat.formatKey] = ModelCheckpointFormat.versions.last!
        info[ModelCheckpointFormat.optimizerKey] = optimizer.name
        if case let .adam(stepCount, _, _) = optimizer { info[ModelCheckpointFormat.adamStepCountKey] = String(stepCount) }
        return TensorChecksums.file(tensors: tensors, metadata: info)
    }

    /// Saves the checkpoint atomically (`SafeTensors.write(to:)`): a failed save leaves the
    /// previous file at `url` intact.
    /// - Throws: as `validate()`, or `CellForgeError.invalidArgument` saying which step of the write failed.
    public func save(to url: URL) throws { try safeTensors().write(to: url) }

    /// Reads and validates the model checkpoint at `url`; see `init(_:)`.
    public static func load(from url: URL, as _: Scalar.Type = Scalar.self) throws -> ModelCheckpoint {
        try ModelCheckpoint(SafeTensors(contentsOf: url))
    }

    /// The checkpoint a safetensors file holds, validated in full before anything is returned
    /// (a cell checkpoint file loads as the one-layer model it is: `CheckpointFormat`):
    /// the format tag and version, the architecture (as `ModelFile`), the scalar type (exact,
    /// no conversion, so a resumed run stays bit for bit), the optimizer name and Adam's step
    /// count, no unknown "cellforge." entry, every tensor present and no other, dtypes and
    /// shapes, the tensors' checksums (`TensorChecksums`), and `validate()`. As for
    /// `ModelFile`, nothing is allocated for the parameters before the tensors are known to be
    /// present and of the right shapes.
    /// - Throws: a one-line `CellForgeError` naming the layer and tensor or entry at fault.
    public init(_ file: SafeTensors) throws {
        if file.metadata[CheckpointFormat.Key.format] != nil {
            self = try ModelCheckpoint(CheckpointFormat.modelCheckpoint(fromCell: file))
            return
        }
        let what = ModelCheckpointFormat.what
        let header = try ModelFileHeader(file, kind: .checkpoint)
        try header.checkExactScalar(Scalar.self, file: what)
        guard let name = file.metadata[ModelCheckpointFormat.optimizerKey] else {
            throw CellForgeError.invalidFormat("\(what) __metadata__ has no \"\(ModelCheckpointFormat.optimizerKey)\" entry")
        }
        guard let prefixes = ModelCheckpointFormat.prefixes(name) else {
            throw CellForgeError.invalidFormat("\(what) __metadata__ \"\(ModelCheckpointFormat.optimizerKey)\" is \(SafeTensors.quoted(name)), "
                + "not none, momentum or adam")
        }
        var known = header.keys.union([ModelCheckpointFormat.optimizerKey])
        var stepCount = 0
        if name == "adam" {
            let key = ModelCheckpointFormat.adamStepCountKey
            guard let text = file.metadata[key], let n = Int(text) else {
                throw CellForgeError.invalidFormat("\(what) __metadata__ \"\(key)\" is "
                    + (file.metadata[key].map { "\(SafeTensors.quoted($0)), not an integer" } ?? "missing"))
            }
            stepCount = n
            known.insert(key)
        }
        try header.checkNoUnknownEntries(file.metadata, known: known, file: what)

        let allPrefixes = [""] + prefixes
        let set = try ModelFormat.checkedTensors(header, in: file, prefixes: allPrefixes, file: what)
        let models: [ModelParameters<Scalar>] = try allPrefixes.map { try ModelFormat.parameters(header.architecture, from: set, prefix: $0, version: header.version) }
        let optimizer: ModelOptimizerState<Scalar> = switch name {
        case "momentum": .momentum(velocity: models[1])
        case "adam": .adam(stepCount: stepCount, firstMoment: models[1], secondMoment: models[2])
        default: .none
        }
        let checkpoint = try ModelCheckpoint(parameters: models[0], optimizer: optimizer, metadata: header.user)
        try checkpoint.validate()
        self = checkpoint
    }

    /// Throws unless the checkpoint can be saved and resumed: no metadata key starts with
    /// "cellforge."; every value is finite; Adam's step count is at least 0 and below `Int.max`
    /// (so the next step can be counted), its second moment at least 0, and both moments
    /// zero at step 0.
    /// - Throws: a one-line `CellForgeError` naming the tensor (layer and name) or entry at fault.
    public func validate() throws {
        let what = ModelCheckpointFormat.what
        try ModelFormat.checkUserMetadata(metadata, file: what)
        for (prefix, values) in [("", parameters)] + ModelCheckpointFormat.states(optimizer) {
            try ModelFormat.checkFinite(values, prefix: prefix, file: what)
        }
        guard case let .adam(stepCount, m, v) = optimizer else { return }
        guard (0..<Int.max).contains(stepCount) else {
            throw CellForgeError.invalidSize(name: "\(what) Adam step count", value: stepCount, allowed: "between 0 and \(Int.max - 1)")
        }
        for t in ModelFormat.tensors(of: v, prefix: "adam.v.") {
            if let x = t.values.first(where: { $0 < 0 }) {
                throw CellForgeError.invalidArgument("\(what) tensor \(t.name) holds \(x): Adam's second moment must be at least 0")
            }
        }
        if stepCount == 0 {
            for t in ModelFormat.tensors(of: m, prefix: "adam.m.") + ModelFormat.tensors(of: v, prefix: "adam.v.")
            where t.values.contains(where: { $0 != 0 }) {
                throw CellForgeError.invalidArgument("\(what) tensor \(t.name) is not zero although the Adam step count is 0 (no step taken yet)")
            }
        }
    }
}
