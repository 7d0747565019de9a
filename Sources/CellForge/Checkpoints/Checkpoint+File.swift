import Foundation

extension Checkpoint {
    /// The checkpoint as a safetensors file, laid out as documented on the type.
    public var safeTensors: SafeTensors {
        let p = parameters
        var tensors: [String: SafeTensors.Tensor] = [:]
        for (prefix, values) in [("", p)] + optimizer.tensors {
            for t in CheckpointFormat.tensors(of: values) {
                // Shapes match the value counts by construction.
                tensors[prefix + t.name] = try! SafeTensors.Tensor(shape: t.shape, values: Array(t.values))
            }
        }
        typealias Key = CheckpointFormat.Key
        var info = metadata
        info[Key.format] = CheckpointFormat.version
        info[Key.cell] = p.kind.rawValue
        info[Key.hiddenSize] = String(p.hiddenSize)
        info[Key.inputSize] = String(p.inputSize)
        info[Key.scalar] = Scalar.typeName
        info[Key.optimizer] = optimizer.name
        if case let .adam(stepCount, _, _) = optimizer { info[Key.adamStepCount] = String(stepCount) }
        return TensorChecksums.file(tensors: tensors, metadata: info)
    }

    /// Saves the checkpoint atomically (`SafeTensors.write(to:)`): to a temporary file in the same
    /// folder, flushed, then renamed over `url`. A failed save leaves the previous file at `url`
    /// intact and removes the temporary file; so does a crash, except for the temporary file.
    /// - Throws: `CellForgeError.invalidArgument` saying which step failed and why.
    public func save(to url: URL) throws { try safeTensors.write(to: url) }

    /// Reads and validates the checkpoint at `url`, expecting a `kind` cell with these sizes
    /// and scalar type; see `init(_:kind:hiddenSize:inputSize:)` for what is checked.
    /// - Throws: `CellForgeError` if the file cannot be read, is not a valid safetensors file,
    ///   or is not a checkpoint matching the expectation.
    public static func load(from url: URL, kind: CellKind, hiddenSize: Int, inputSize: Int,
                            as _: Scalar.Type = Scalar.self) throws -> Checkpoint {
        try Checkpoint(SafeTensors(contentsOf: url), kind: kind, hiddenSize: hiddenSize, inputSize: inputSize)
    }

    /// The checkpoint a safetensors file holds, validated in full before anything is returned.
    ///
    /// Checked: the format tag and version; the metadata's cell, sizes and scalar type against
    /// the expected ones (no conversion: a Double checkpoint loads only as Double, a Float one
    /// only as Float, so a resumed run stays exact); the optimizer name and, for Adam, a step
    /// count that is an integer ≥ 0; no unknown "cellforge." metadata key; every expected tensor
    /// present and no other; each tensor's dtype and shape; the tensors' checksums
    /// (`TensorChecksums`); finite values; Adam's second moment ≥ 0.
    /// - Throws: `CellForgeError` naming what does not match (a tensor's name and both shapes).
    public init(_ file: SafeTensors, kind: CellKind, hiddenSize: Int, inputSize: Int) throws {
        try CellParameters<Scalar>.validate(hiddenSize: hiddenSize, inputSize: inputSize)
        let info = try CheckpointMetadata(file.metadata)
        guard info.kind == kind, info.hiddenSize == hiddenSize, info.inputSize == inputSize else {
            throw CellForgeError.shapeMismatch(name: "checkpoint cell",
                                               expected: CheckpointFormat.describe(kind, hiddenSize: hiddenSize, inputSize: inputSize),
                                               actual: CheckpointFormat.describe(info.kind, hiddenSize: info.hiddenSize, inputSize: info.inputSize))
        }
        guard info.scalar == Scalar.typeName else {
            throw CellForgeError.invalidArgument("checkpoint holds \(info.scalar) values, not \(Scalar.typeName): load it as "
                + "\(info.scalar) (checkpoints are not converted, so that a resumed run stays exact)")
        }

        let shapes = CheckpointFormat.shapes(kind, hiddenSize: hiddenSize, inputSize: inputSize)
        let prefixes = [""] + info.optimizerPrefixes
        let set = try WeightSet(prefixes.flatMap { p in shapes.map { p + $0.name } }, from: file, prefix: "", source: "checkpoint")
        let dtype = SafeTensors.DType.matching(Scalar.self)
        for name in file.names where file[name]!.dtype != dtype {
            throw CellForgeError.invalidFormat("checkpoint tensor \(SafeTensors.quoted(name)) is \(file[name]!.dtype), "
                + "but \(Scalar.typeName) checkpoints store \(dtype)")
        }
        try set.checkShapes(prefixes.flatMap { p in shapes.map { (p + $0.name, $0.shape) } })
        try TensorChecksums.verify(file, file: "checkpoint")
        let tensors = try prefixes.map { prefix in
            try CellParameters(kind: kind, hiddenSize: hiddenSize, inputSize: inputSize,
                               values: shapes.flatMap { try set.values(prefix + $0.name, shape: $0.shape, as: Scalar.self) })
        }
        let optimizer: OptimizerCheckpoint<Scalar> = switch info.optimizer {
        case "momentum": .momentum(velocity: tensors[1])
        case "adam": .adam(stepCount: info.adamStepCount!, firstMoment: tensors[1], secondMoment: tensors[2])
        default: .none
        }
        try self.init(parameters: tensors[0], optimizer: optimizer, metadata: info.user)
    }
}
