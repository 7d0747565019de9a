/// What every CellForge file shares (the reserved metadata prefix, one cell's tensor names),
/// and the cell checkpoint files of format version 1, which `ModelCheckpoint` still loads:
/// a cell is a one-layer model without a head, so such a file is read as that model's
/// checkpoint (`modelCheckpoint(fromCell:)`); new checkpoints are always model checkpoints.
///
/// A cell checkpoint holds tensors `W` [G·H, D], `U` [G·H, H], `b` [G·H] and, for a GRU,
/// `b_hn` [H], the optimizer's under the same names prefixed `momentum.velocity.`, or
/// `adam.m.` and `adam.v.`; `__metadata__` has "cellforge.checkpoint": "1", `cellforge.cell`,
/// `cellforge.hidden_size`, `cellforge.input_size`, `cellforge.scalar`, `cellforge.optimizer`,
/// `cellforge.adam.step_count` (Adam only), the checksums and the user's entries.
enum CheckpointFormat {
    /// The cell checkpoint version read.
    static let version = "1"
    /// Metadata keys starting with this describe the file itself; user metadata may not use them.
    static let reservedPrefix = "cellforge."

    /// The `__metadata__` keys of a cell checkpoint that a model checkpoint names otherwise.
    enum Key {
        /// The cell checkpoint's format tag.
        static let format = "cellforge.checkpoint"
        /// `CellKind.rawValue`: "lstm", "rnn" or "gru".
        static let cell = "cellforge.cell"
        /// H, in decimal.
        static let hiddenSize = "cellforge.hidden_size"
        /// D, in decimal.
        static let inputSize = "cellforge.input_size"
    }

    /// The canonical tensors of `p` as CellForge files store them, in `values` order: `W` [G·H, D],
    /// `U` [G·H, H], `b` [G·H] and, for a GRU, `b_hn` [H].
    static func tensors<S: CellScalar>(of p: CellParameters<S>) -> [(name: String, shape: [Int], values: ArraySlice<S>)] {
        let values = [p.W, p.U, p.b, p.recurrentBias]
        return zip(shapes(p.kind, hiddenSize: p.hiddenSize, inputSize: p.inputSize), values).map { ($0.name, $0.shape, $1) }
    }

    /// The names and shapes of `tensors(of:)` for a cell of this kind and sizes, computed
    /// without allocating any parameters.
    static func shapes(_ kind: CellKind, hiddenSize H: Int, inputSize D: Int) -> [(name: String, shape: [Int])] {
        let rows = kind.gateCount * H
        let main = [("W", [rows, D]), ("U", [rows, H]), ("b", [rows])]
        return kind.hasRecurrentCandidateBias ? main + [("b_hn", [H])] : main
    }

    /// A cell checkpoint file rewritten as the one-layer model checkpoint it is: the cell and
    /// sizes become layer 0's entries (`cellforge.layer.0.cell`, `…hidden_size`, `…input_size`,
    /// with `cellforge.layer_count` 1) and every tensor name (and its checksum entry) gains
    /// `layer.0.` after its optimizer prefix. Nothing else is read or touched: the model
    /// checkpoint loader checks it all (architecture, scalar type, optimizer, tensors,
    /// checksums, values), so its errors name these entries and tensors by their model names.
    /// - Throws: `CellForgeError.invalidFormat` if the format version is not `version`.
    static func modelCheckpoint(fromCell file: SafeTensors) throws -> SafeTensors {
        if let found = file.metadata[Key.format], found != version {
            throw CellForgeError.invalidFormat("cell checkpoint format version \(SafeTensors.quoted(found)) is not supported "
                + "(CellForge reads version \(version))")
        }
        func renamed(_ name: String) -> String {
            let prefix = ModelCheckpointFormat.optimizerPrefixes.first { name.hasPrefix($0) } ?? ""
            return prefix + "layer.0." + name.dropFirst(prefix.count)
        }
        let layerKeys = [Key.cell: "cell", Key.hiddenSize: "hidden_size", Key.inputSize: "input_size"]
        var tensors: [String: SafeTensors.Tensor] = [:]
        for name in file.names { tensors[renamed(name)] = file[name] }
        var info: [String: String] = [:]
        for (key, value) in file.metadata where key != Key.format && layerKeys[key] == nil {
            info[TensorChecksums.isKey(key) ? TensorChecksums.keyPrefix + renamed(String(key.dropFirst(TensorChecksums.keyPrefix.count))) : key] = value
        }
        // The layer entries win over any the file has (a cell file has none), so the result does not depend on order.
        for (key, field) in layerKeys { info[ModelFormat.Key.layer(0, field)] = file.metadata[key] }
        info[ModelFormat.Key.layerCount] = "1"
        info[ModelCheckpointFormat.formatKey] = "1"  // the model checkpoint version whose names these are
        return SafeTensors(tensors: tensors, metadata: info)
    }
}
