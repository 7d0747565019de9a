/// The names a checkpoint file uses, and the helpers saving, loading and restoring share.
enum CheckpointFormat {
    /// The format version written, and the only one read.
    static let version = "1"
    /// Metadata keys starting with this describe the checkpoint itself; user metadata may not use them.
    static let reservedPrefix = "cellforge."

    /// The `__metadata__` keys CellForge writes.
    enum Key {
        /// The format tag, `version`; a file without it is not a checkpoint.
        static let format = "cellforge.checkpoint"
        /// `CellKind.rawValue`: "lstm", "rnn" or "gru".
        static let cell = "cellforge.cell"
        /// H, in decimal.
        static let hiddenSize = "cellforge.hidden_size"
        /// D, in decimal.
        static let inputSize = "cellforge.input_size"
        /// `CellScalar.typeName`: "Float" or "Double".
        static let scalar = "cellforge.scalar"
        /// `OptimizerCheckpoint.name`: "none", "momentum" or "adam".
        static let optimizer = "cellforge.optimizer"
        /// Adam's step count t, in decimal (Adam only).
        static let adamStepCount = "cellforge.adam.step_count"
    }

    /// "LSTM H 8, D 8", for messages.
    static func describe(_ kind: CellKind, hiddenSize H: Int, inputSize D: Int) -> String { "\(kind) H \(H), D \(D)" }

    /// "LSTM H 8, D 8" for the kind and sizes of `p`.
    static func describe<S: CellScalar>(_ p: CellParameters<S>) -> String {
        describe(p.kind, hiddenSize: p.hiddenSize, inputSize: p.inputSize)
    }

    /// The canonical tensors of `p` as a checkpoint stores them, in `values` order: `W` [G·H, D],
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
}
