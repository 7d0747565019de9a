/// Cell parameters to and from a PyTorch `nn.LSTM`, `nn.GRU` or `nn.RNN` (tanh) state_dict.
///
/// Layer k, unidirectional: `weight_ih_lk` [G·H, D], `weight_hh_lk` [G·H, H],
/// `bias_ih_lk` [G·H], `bias_hh_lk` [G·H], gate blocks in PyTorch's order
/// (LSTM (i, f, g, o), GRU (r, z, n); see `GateOrder`). Biases combine as
/// b = bias_ih + bias_hh, except GRU's candidate: b_n = b_in and b_hn = b_hn, because
/// PyTorch applies r to the recurrent term including its bias. A module made with
/// `bias=False` has no bias tensors; its biases are zero.
/// Export puts the whole bias in `bias_ih` and zeros in `bias_hh` (GRU: b_hn in its n block),
/// which computes the same function; `gradientTensors` gives a gradient each tensor's true
/// share instead (both biases carry ∂L/∂b). Whole stacks (`num_layers` > 1, with a `nn.Linear`
/// head) load with `PyTorchModelWeights`.
public enum PyTorchWeights {
    /// The names of layer 0's tensors, in the order PyTorch lists them.
    public static let tensorNames = tensorNames(layer: 0)

    /// The names of layer `layer`'s tensors (`weight_ih_l1`, …), in the order PyTorch lists them;
    /// without the biases when `bias` is false.
    public static func tensorNames(layer: Int, bias: Bool = true) -> [String] {
        let names = ["weight_ih", "weight_hh"] + (bias ? ["bias_ih", "bias_hh"] : [])
        return names.map { "\($0)_l\(layer)" }
    }

    /// Parameters of a `kind` cell from a state_dict; H and D come from the tensor shapes.
    /// - Parameters:
    ///   - prefix: prepended to every tensor name (e.g. "encoder." for a submodule); tensors
    ///     not starting with it are ignored.
    /// - Throws: `CellForgeError` naming missing or unexpected tensors, a tensor of the wrong
    ///   shape (with both shapes), or non-finite values. Nothing is returned partially.
    public static func parameters<S: CellScalar>(_ kind: CellKind, from file: SafeTensors, prefix: String = "",
                                                 as _: S.Type = S.self) throws -> CellParameters<S> {
        let set = try WeightSet(tensorNames, from: file, prefix: prefix, source: "PyTorch \(kind) state_dict")
        return try parameters(kind, from: set, layer: 0, bias: true)
    }

    /// Layer `layer` of a `kind` stack, out of a set already checked to hold its tensors
    /// (`tensorNames(layer:bias:)`); H and D come from the shapes.
    /// - Throws: `CellForgeError` naming a tensor of the wrong shape or with non-finite values.
    static func parameters<S: CellScalar>(_ kind: CellKind, from set: WeightSet, layer: Int,
                                          bias: Bool) throws -> CellParameters<S> {
        let names = tensorNames(layer: layer, bias: true)
        let G = kind.gateCount
        let (H, D) = try set.sizes(from: names[0], gates: G, transposed: false)
        let wih: [S] = try set.values(names[0], shape: [G * H, D])
        let whh: [S] = try set.values(names[1], shape: [G * H, H])
        let zeros = [S](repeating: 0, count: G * H)
        let bih: [S] = bias ? try set.values(names[2], shape: [G * H]) : zeros
        let bhh: [S] = bias ? try set.values(names[3], shape: [G * H]) : zeros

        let order = GateOrder.pytorch(kind)
        var p = try CellParameters<S>(kind: kind, hiddenSize: H, inputSize: D)
        for r in 0..<(G * H) {
            let t = order.foreignRow(r, hiddenSize: H)
            for j in 0..<D { p.values[p.wOffset + r * D + j] = wih[t * D + j] }
            for j in 0..<H { p.values[p.uOffset + r * H + j] = whh[t * H + j] }
            let isCandidate = kind == .gru && r / H == 2
            p.values[p.bOffset + r] = isCandidate ? bih[t] : try set.sum(bih[t], bhh[t], of: (names[2], t), and: (names[3], t))
        }
        if kind == .gru { for k in 0..<H { p.values[p.recurrentBiasOffset + k] = bhh[2 * H + k] } }
        return p
    }

    /// A state_dict holding `parameters` as layer `layer` (default 0) of a module, stored as
    /// `dtype` (default: the dtype matching `S`).
    public static func tensors<S: CellScalar>(_ parameters: CellParameters<S>, prefix: String = "", layer: Int = 0,
                                              dtype: SafeTensors.DType? = nil) -> SafeTensors {
        stateDict(parameters, prefix: prefix, layer: layer, dtype: dtype, gradient: false)
    }

    /// The gradient of a loss with respect to every tensor of the state_dict that
    /// `parameters(_:from:prefix:as:)` reads, from `gradient`, its gradient with respect to the
    /// CellForge parameters (a `CellParameters` used as a gradient, as the drivers return it):
    /// what PyTorch's autograd puts in each tensor's `.grad`, named as `tensors` names them.
    ///
    /// The import is linear, so by the chain rule ∂L/∂weight_ih = ∂L/∂W and ∂L/∂weight_hh =
    /// ∂L/∂U, rows in PyTorch's gate order; b = bias_ih + bias_hh gives ∂L/∂bias_ih =
    /// ∂L/∂bias_hh = ∂L/∂b, except a GRU's n block: ∂L/∂bias_ih = ∂L/∂b_n and ∂L/∂bias_hh = ∂L/∂b_hn.
    public static func gradientTensors<S: CellScalar>(_ gradient: CellParameters<S>, prefix: String = "", layer: Int = 0,
                                                      dtype: SafeTensors.DType? = nil) -> SafeTensors {
        stateDict(gradient, prefix: prefix, layer: layer, dtype: dtype, gradient: true)
    }

    /// The four tensors of `p`: `bias_hh` holds b_hn in a GRU's n block and, when `gradient`,
    /// b in every other block (else zeros there, so that bias_ih + bias_hh = b).
    private static func stateDict<S: CellScalar>(_ p: CellParameters<S>, prefix: String, layer: Int,
                                                 dtype: SafeTensors.DType?, gradient: Bool) -> SafeTensors {
        let G = p.kind.gateCount, H = p.hiddenSize, D = p.inputSize
        let order = GateOrder.pytorch(p.kind)
        var wih = [S](repeating: 0, count: G * H * D), whh = [S](repeating: 0, count: G * H * H)
        var bih = [S](repeating: 0, count: G * H), bhh = bih
        for r in 0..<(G * H) {
            let t = order.foreignRow(r, hiddenSize: H)
            for j in 0..<D { wih[t * D + j] = p.w(r, j) }
            for j in 0..<H { whh[t * H + j] = p.u(r, j) }
            bih[t] = p.b(r)
            if gradient, !(p.kind == .gru && r / H == 2) { bhh[t] = p.b(r) }
        }
        if p.kind == .gru { for k in 0..<H { bhh[2 * H + k] = p.bhn(k) } }
        let names = tensorNames(layer: layer).map { prefix + $0 }
        // Shapes match the value counts by construction.
        return SafeTensors(tensors: [
            names[0]: try! .init(shape: [G * H, D], values: wih, dtype: dtype),
            names[1]: try! .init(shape: [G * H, H], values: whh, dtype: dtype),
            names[2]: try! .init(shape: [G * H], values: bih, dtype: dtype),
            names[3]: try! .init(shape: [G * H], values: bhh, dtype: dtype),
        ])
    }
}
