/// Cell parameters to and from a Keras `LSTM`, `GRU` or `SimpleRNN` layer's weights.
///
/// Tensors `kernel` [D, G·H], `recurrent_kernel` [H, G·H] (both transposed relative
/// to CellForge) and `bias`, gate blocks in Keras's order (LSTM (i, f, c, o), GRU
/// (z, r, h): update gate first; see `GateOrder`). LSTM and SimpleRNN: `bias` [G·H].
/// GRU must use `reset_after=True` (Keras's default, PyTorch's formulation): `bias`
/// [2, 3H], row 0 the input bias, row 1 the recurrent one; b_r = b0_r + b1_r,
/// b_u = b0_z + b1_z, b_n = b0_h, b_hn = b1_h. Export puts zeros in row 1 except b_hn.
/// The activations must be Keras's defaults (tanh, and sigmoid for the gates).
/// Keras stores weights in its own files; convert them to safetensors with these names.
public enum KerasWeights {
    /// The names of one layer's tensors.
    public static let tensorNames = ["kernel", "recurrent_kernel", "bias"]

    /// Parameters of a `kind` cell from a Keras layer's weights; H and D come from the shapes.
    /// - Parameters:
    ///   - prefix: prepended to every tensor name (e.g. "lstm/"); tensors not starting with it are ignored.
    /// - Throws: `CellForgeError` naming missing or unexpected tensors, a tensor of the wrong
    ///   shape (with both shapes; a GRU `bias` of [3H] means `reset_after=False`, which is a
    ///   different cell), or non-finite values. Nothing is returned partially.
    public static func parameters<S: CellScalar>(_ kind: CellKind, from file: SafeTensors, prefix: String = "",
                                                 as _: S.Type = S.self) throws -> CellParameters<S> {
        try parameters(kind, from: file, prefix: prefix, source: "Keras \(kind) weights")
    }

    /// As `parameters(_:from:prefix:as:)`, with messages naming `source` as what is read
    /// (a format that stores Keras's arrays, such as RTNeural's).
    static func parameters<S: CellScalar>(_ kind: CellKind, from file: SafeTensors, prefix: String = "",
                                          source: String) throws -> CellParameters<S> {
        let set = try WeightSet(tensorNames, from: file, prefix: prefix, source: source)
        let G = kind.gateCount
        let (H, D) = try set.sizes(from: "kernel", gates: G, transposed: true)
        let kernel: [S] = try set.values("kernel", shape: [D, G * H])
        let recurrent: [S] = try set.values("recurrent_kernel", shape: [H, G * H])
        if kind == .gru, set.shape("bias") == [G * H] {
            throw set.mismatch("bias", expected: "[2, \(G * H)] (reset_after=True; reset_after=False computes a different cell)")
        }
        let bias: [S] = try set.values("bias", shape: kind == .gru ? [2, G * H] : [G * H])

        let order = GateOrder.keras(kind)
        var p = try CellParameters<S>(kind: kind, hiddenSize: H, inputSize: D)
        for r in 0..<(G * H) {
            let c = order.foreignRow(r, hiddenSize: H)
            for j in 0..<D { p.values[p.wOffset + r * D + j] = kernel[j * G * H + c] }
            for j in 0..<H { p.values[p.uOffset + r * H + j] = recurrent[j * G * H + c] }
            let isCandidate = r / H == 2
            p.values[p.bOffset + r] = kind != .gru || isCandidate ? bias[c]
                : try set.sum(bias[c], bias[G * H + c], of: ("bias", c), and: ("bias", G * H + c))
        }
        if kind == .gru { for k in 0..<H { p.values[p.recurrentBiasOffset + k] = bias[G * H + 2 * H + k] } }
        return p
    }

    /// A Keras layer's weights holding `parameters`, stored as `dtype` (default: the dtype matching `S`).
    public static func tensors<S: CellScalar>(_ parameters: CellParameters<S>, prefix: String = "",
                                              dtype: SafeTensors.DType? = nil) -> SafeTensors {
        let p = parameters, G = p.kind.gateCount, H = p.hiddenSize, D = p.inputSize
        let order = GateOrder.keras(p.kind)
        var kernel = [S](repeating: 0, count: D * G * H), recurrent = [S](repeating: 0, count: H * G * H)
        var bias = [S](repeating: 0, count: (p.kind == .gru ? 2 : 1) * G * H)
        for r in 0..<(G * H) {
            let c = order.foreignRow(r, hiddenSize: H)
            for j in 0..<D { kernel[j * G * H + c] = p.w(r, j) }
            for j in 0..<H { recurrent[j * G * H + c] = p.u(r, j) }
            bias[c] = p.b(r)
        }
        if p.kind == .gru { for k in 0..<H { bias[G * H + 2 * H + k] = p.bhn(k) } }
        // Shapes match the value counts by construction.
        return SafeTensors(tensors: [
            prefix + "kernel": try! .init(shape: [D, G * H], values: kernel, dtype: dtype),
            prefix + "recurrent_kernel": try! .init(shape: [H, G * H], values: recurrent, dtype: dtype),
            prefix + "bias": try! .init(shape: p.kind == .gru ? [2, G * H] : [G * H], values: bias, dtype: dtype),
        ])
    }
}
