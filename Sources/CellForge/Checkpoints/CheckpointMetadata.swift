/// A checkpoint file's `__metadata__`, parsed and checked: the format tag and version, the
/// cell, sizes, scalar type and optimizer, and the user's entries apart.
struct CheckpointMetadata {
    typealias Key = CheckpointFormat.Key
    let kind: CellKind
    let hiddenSize: Int
    let inputSize: Int
    /// `CellScalar.typeName` of the stored values.
    let scalar: String
    /// `OptimizerCheckpoint.name`.
    let optimizer: String
    /// The optimizer's tensor-name prefixes.
    let optimizerPrefixes: [String]
    /// Adam's step count (Adam only; its sign is checked by `OptimizerCheckpoint.validate`).
    let adamStepCount: Int?
    /// The entries whose keys do not start with "cellforge.".
    let user: [String: String]

    /// - Throws: `CellForgeError.invalidFormat` naming the missing, malformed or unexpected entry.
    init(_ metadata: [String: String]) throws {
        guard let version = metadata[Key.format] else {
            throw CellForgeError.invalidFormat("not a CellForge checkpoint: its __metadata__ has no \"\(Key.format)\" entry "
                + "(PyTorch and Keras weights load with PyTorchWeights and KerasWeights)")
        }
        guard version == CheckpointFormat.version else {
            throw CellForgeError.invalidFormat("checkpoint format version \(SafeTensors.quoted(version)) is not supported "
                + "(CellForge reads version \(CheckpointFormat.version))")
        }
        func value(_ key: String) throws -> String {
            guard let v = metadata[key] else { throw CellForgeError.invalidFormat("checkpoint __metadata__ has no \"\(key)\" entry") }
            return v
        }
        func invalid(_ key: String, _ v: String, _ allowed: String) -> CellForgeError {
            .invalidFormat("checkpoint __metadata__ \"\(key)\" is \(SafeTensors.quoted(v)), not \(allowed)")
        }
        func integer(_ key: String) throws -> Int {
            let v = try value(key)
            guard let n = Int(v) else { throw invalid(key, v, "an integer") }
            return n
        }
        let cell = try value(Key.cell)
        guard let kind = CellKind(rawValue: cell) else { throw invalid(Key.cell, cell, "lstm, rnn or gru") }
        self.kind = kind
        hiddenSize = try integer(Key.hiddenSize)
        inputSize = try integer(Key.inputSize)
        scalar = try value(Key.scalar)
        guard [Float.typeName, Double.typeName].contains(scalar) else { throw invalid(Key.scalar, scalar, "Float or Double") }
        optimizer = try value(Key.optimizer)
        guard let prefixes = OptimizerCheckpoint<Double>.prefixes(optimizer) else {
            throw invalid(Key.optimizer, optimizer, "none, momentum or adam")
        }
        optimizerPrefixes = prefixes
        adamStepCount = try optimizer == "adam" ? integer(Key.adamStepCount) : nil

        var known: Set = [Key.format, Key.cell, Key.hiddenSize, Key.inputSize, Key.scalar, Key.optimizer]
        if adamStepCount != nil { known.insert(Key.adamStepCount) }
        let reserved = metadata.keys.filter { $0.hasPrefix(CheckpointFormat.reservedPrefix) }
        if let key = reserved.sorted().first(where: { !known.contains($0) && !TensorChecksums.isKey($0) }) {
            throw CellForgeError.invalidFormat("checkpoint __metadata__ has an unexpected entry \(SafeTensors.quoted(key))"
                + (key == Key.adamStepCount ? " (the optimizer is \(optimizer), not adam)" : ""))
        }
        user = metadata.filter { !$0.key.hasPrefix(CheckpointFormat.reservedPrefix) }
    }
}
