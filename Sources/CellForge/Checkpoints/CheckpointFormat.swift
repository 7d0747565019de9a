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
    /// sizes become layer 0 of the architecture, every tensor name (and its checksum entry)
    /// gains `layer.0.` after its optimizer prefix; the data is not touched, so the model
    /// checkpoint loader checks everything else (scalar type, optimizer, tensors, checksums, values).
    /// - Throws: a one-line `CellForgeError.invalidFormat` naming the missing or malformed entry.
    static func modelCheckpoint(fromCell file: SafeTensors) throws -> SafeTensors {
        let what = "cell checkpoint"
        func value(_ key: String) throws -> String {
            guard let v = file.metadata[key] else { throw CellForgeError.invalidFormat("\(what) __metadata__ has no \"\(key)\" entry") }
            return v
        }
        func integer(_ key: String) throws -> Int {
            let v = try value(key)
            guard let n = Int(v) else {
                throw CellForgeError.invalidFormat("\(what) __metadata__ \"\(key)\" is \(SafeTensors.quoted(v)), not an integer")
            }
            return n
        }
        let found = try value(Key.format)
        guard found == version else {
            throw CellForgeError.invalidFormat("\(what) format version \(SafeTensors.quoted(found)) is not supported "
                + "(CellForge reads version \(version))")
        }
        let cell = try value(Key.cell)
        guard let kind = CellKind(rawValue: cell) else {
            throw CellForgeError.invalidFormat("\(what) __metadata__ \"\(Key.cell)\" is \(SafeTensors.quoted(cell)), not lstm, rnn or gru")
        }
        let (H, D) = (try integer(Key.hiddenSize), try integer(Key.inputSize))
        let architecture: ModelArchitecture
        do { architecture = try ModelArchitecture(kind: kind, inputSize: D, hiddenSizes: [H]) } catch let error as CellForgeError {
            throw CellForgeError.invalidFormat("\(what): \(error)")
        }
        func renamed(_ name: String) -> String {
            let prefix = ModelCheckpointFormat.optimizerPrefixes.first { name.hasPrefix($0) } ?? ""
            return prefix + "layer.0." + name.dropFirst(prefix.count)
        }
        var tensors: [String: SafeTensors.Tensor] = [:]
        for name in file.names { tensors[renamed(name)] = file[name] }
        let cellKeys: Set = [Key.format, Key.cell, Key.hiddenSize, Key.inputSize]
        var info: [String: String] = [:]
        for (key, value) in file.metadata where !cellKeys.contains(key) {
            info[TensorChecksums.isKey(key) ? TensorChecksums.keyPrefix + renamed(String(key.dropFirst(TensorChecksums.keyPrefix.count))) : key] = value
        }
        // The layer entries are added; the scalar entry stays as written (the loader checks it).
        var layers = ModelFormat.metadata(architecture, scalar: Float.self)
        layers.removeValue(forKey: ModelFormat.Key.scalar)
        info.merge(layers) { _, layer in layer }
        info[ModelCheckpointFormat.formatKey] = ModelCheckpointFormat.version
        return SafeTensors(tensors: tensors, metadata: info)
    }
}
