/// Whole models to and from the state_dict of a PyTorch module that holds one `nn.LSTM`,
/// `nn.GRU` or `nn.RNN` (tanh, `batch_first` either way, `num_layers` ≥ 1, with or without
/// biases) and optionally one `nn.Linear` head after it:
///
/// ```python
/// class Model(nn.Module):
///     def __init__(self):
///         super().__init__()
///         self.rnn = nn.LSTM(3, 5, num_layers=2, batch_first=True)   # rnn.weight_ih_l0, …, rnn.bias_hh_l1
///         self.head = nn.Linear(5, 2)                               # head.weight [2, 5], head.bias [2]
/// ```
///
/// Each layer maps as `PyTorchWeights` describes; `head.weight` [O, H] is CellForge's V
/// as it is and `head.bias` [O] its c (a `bias=False` Linear has zero c). A state_dict does
/// not say which activation follows the Linear, so it is a parameter of the import.
/// Bidirectional modules (`_reverse` tensors) and `proj_size` (`weight_hr`) are refused.
public enum PyTorchModelWeights {
    /// The model in a state_dict.
    /// - Parameters:
    ///   - recurrent: the recurrent module's prefix ("rnn."; "" for a bare `nn.LSTM`'s
    ///     state_dict); nil finds the only module with a `weight_ih_l0`.
    ///   - head: the Linear's prefix ("head."); nil finds it: the only other module with a
    ///     2-D `weight`, or no head if there is none. When both are found, every tensor of the
    ///     file must belong to one of them; when given, other modules' tensors are ignored.
    ///   - kind: the cell expected, or nil for any. The cell is inferred from the gate count in
    ///     `weight_hh_l0` (4 LSTM, 3 GRU, 1 RNN, taken as tanh since a state_dict does not name
    ///     the nonlinearity; pass `.rnnReLU` for an `nn.RNN(nonlinearity='relu')`); a different
    ///     `kind` is an error.
    ///   - activation: the activation applied after the Linear in the PyTorch model.
    /// - Throws: a one-line `CellForgeError` naming the layer and tensor at fault (missing,
    ///   unexpected, wrong shape, non-finite, sizes that do not chain); nothing is returned partially.
    public static func parameters<S: CellScalar>(from file: SafeTensors, recurrent: String? = nil, head: String? = nil,
                                                 kind: CellKind? = nil, activation: ActivationKind = .identity,
                                                 as _: S.Type = S.self) throws -> ModelParameters<S> {
        let rnn = try recurrent ?? findRecurrentPrefix(in: file)
        let (inferred, layerCount, hasBias) = try recurrentModule(in: file, prefix: rnn)
        if let kind, kind != inferred, !(kind == .rnnReLU && inferred == .rnn) {
            throw CellForgeError.invalidFormat("PyTorch state_dict tensor \(SafeTensors.quoted(rnn + "weight_hh_l0")) "
                + "\(SafeTensors.Tensor.format(file[rnn + "weight_hh_l0"]!.shape)) has the gates of a \(inferred), not a \(kind)")
        }
        let cell = kind ?? inferred
        let linear = try head ?? findHeadPrefix(in: file, excluding: rnn)
        let headNames = linear.map { [$0 + "weight"] + (file[$0 + "bias"] != nil ? [$0 + "bias"] : []) } ?? []
        let names = (0..<layerCount).flatMap { PyTorchWeights.tensorNames(layer: $0, bias: hasBias).map { rnn + $0 } } + headNames
        let everything = recurrent == nil && head == nil
        let set = try WeightSet(names, from: file, prefix: "", source: "PyTorch \(cell) model state_dict",
                                inScope: { everything || $0.hasPrefix(rnn) || linear.map($0.hasPrefix) == true })

        var layers: [CellParameters<S>] = []
        for l in 0..<layerCount {
            let p: CellParameters<S> = try PyTorchWeights.parameters(cell, from: set.within(rnn), layer: l, bias: hasBias)
            if let below = layers.last, p.inputSize != below.hiddenSize {
                throw set.mismatch(rnn + "weight_ih_l\(l)",
                                   expected: "[\(p.rowCount), \(below.hiddenSize)] (layer \(l)'s D is the hidden size of layer \(l - 1))")
            }
            layers.append(p)
        }
        let dense: DenseParameters<S>? = try linear.map {
            try DenseWeights.parameters(from: set, weight: $0 + "weight", bias: file[$0 + "bias"] != nil ? $0 + "bias" : nil,
                                        inputSize: layers[layers.count - 1].hiddenSize, transposed: false)
        }
        return try ModelParameters(recurrent: layers, head: dense, activation: activation)
    }

    /// The state_dict of a PyTorch module holding `model`: the recurrent layers under `recurrent`
    /// (`rnn.weight_ih_l0`, …) and the head under `head` (`head.weight`, `head.bias`), stored as
    /// `dtype` (default: the dtype matching `S`). It loads with `load_state_dict(strict=True)`
    /// into the module shown on the type (the head's activation is the caller's to apply).
    /// - Throws: `CellForgeError.invalidArgument` if the model is not recurrent layers all of
    ///   one cell and hidden size (which one PyTorch module with `num_layers` requires), then
    ///   at most one dense layer and one activation without parameters.
    public static func tensors<S: CellScalar>(_ model: ModelParameters<S>, recurrent: String = "rnn.", head: String = "head.",
                                              dtype: SafeTensors.DType? = nil) throws -> SafeTensors {
        let stack = try RecurrentStackWithHead(model, format: "one PyTorch recurrent module and a Linear")
        let first = stack.recurrent[0]
        for (l, p) in stack.recurrent.enumerated() where p.kind != first.kind || p.hiddenSize != first.hiddenSize {
            throw CellForgeError.invalidArgument("layer \(l) is \(LayerParameters.recurrent(p).shape), but one PyTorch module with "
                + "num_layers needs every layer to be \(first.kind) with hidden size \(first.hiddenSize)")
        }
        var file = SafeTensors()
        for (l, p) in stack.recurrent.enumerated() {
            file.tensors.merge(PyTorchWeights.tensors(p, prefix: recurrent, layer: l, dtype: dtype).tensors) { a, _ in a }
        }
        if let dense = stack.head {
            file.tensors.merge(DenseWeights.tensors(dense, weight: head + "weight", bias: head + "bias", transposed: false,
                                                    dtype: dtype).tensors) { a, _ in a }
        }
        return file
    }

    /// The cell, layer count and whether it has biases of the recurrent module under `prefix`
    /// (`weight_ih_l0`, `weight_ih_l1`, …; the cell from the gate count of `weight_hh_l0`).
    /// - Throws: a one-line `CellForgeError` for a bidirectional or projected (`proj_size`)
    ///   module, or one without `weight_ih_l0`.
    static func recurrentModule(in file: SafeTensors, prefix rnn: String) throws -> (kind: CellKind, layerCount: Int, hasBias: Bool) {
        let scoped: (String) -> Bool = { $0.hasPrefix(rnn) }
        if let name = file.names.first(where: { scoped($0) && $0.hasSuffix("_reverse") }) {
            throw CellForgeError.invalidFormat("PyTorch state_dict tensor \(SafeTensors.quoted(name)) belongs to a "
                + "bidirectional module, which CellForge does not support (its layers run forward in time only)")
        }
        if let name = file.names.first(where: { scoped($0) && $0.hasPrefix(rnn + "weight_hr_l") }) {
            throw CellForgeError.invalidFormat("PyTorch state_dict tensor \(SafeTensors.quoted(name)) belongs to an "
                + "LSTM with proj_size > 0, which CellForge does not support")
        }
        var layerCount = 0
        while file[rnn + "weight_ih_l\(layerCount)"] != nil { layerCount += 1 }
        guard layerCount > 0 else {
            throw CellForgeError.invalidFormat("PyTorch state_dict has no tensor \(SafeTensors.quoted(rnn + "weight_ih_l0"))")
        }
        return (try inferKind(file, rnn + "weight_hh_l0"), layerCount, file[rnn + "bias_ih_l0"] != nil)
    }

    /// The prefix of the only module with a `weight_ih_l0`.
    static func findRecurrentPrefix(in file: SafeTensors) throws -> String {
        let prefixes = file.names.filter { $0.hasSuffix("weight_ih_l0") }.map { String($0.dropLast("weight_ih_l0".count)) }
        guard prefixes.count == 1 else {
            throw CellForgeError.invalidFormat(prefixes.isEmpty
                ? "PyTorch state_dict has no recurrent module (no tensor named *weight_ih_l0)"
                : "PyTorch state_dict has several recurrent modules (\(prefixes.map(SafeTensors.quoted).joined(separator: ", "))): pass recurrent: to pick one")
        }
        return prefixes[0]
    }

    /// The prefix of the only module other than the recurrent one with a 2-D `weight`, or nil.
    static func findHeadPrefix(in file: SafeTensors, excluding rnn: String) throws -> String? {
        let prefixes = file.names.filter { $0.hasSuffix("weight") && file[$0]!.shape.count == 2 }
            .map { String($0.dropLast("weight".count)) }
            .filter { $0 != rnn && !($0.hasPrefix(rnn) && $0.dropFirst(rnn.count).hasPrefix("weight_")) }
        guard prefixes.count <= 1 else {
            throw CellForgeError.invalidFormat("PyTorch state_dict has several Linear-like modules "
                + "(\(prefixes.map(SafeTensors.quoted).joined(separator: ", "))): pass head: to pick one")
        }
        return prefixes.first
    }

    /// The cell whose gate count G gives `name` [G·H, H].
    static func inferKind(_ file: SafeTensors, _ name: String) throws -> CellKind {
        let shape = file[name]?.shape ?? []
        let kind = shape.count == 2 && shape[1] > 0 && shape[0] % shape[1] == 0
            ? CellKind.allCases.first { $0.gateCount == shape[0] / shape[1] } : nil
        guard let kind else {
            throw CellForgeError.shapeMismatch(name: "PyTorch state_dict tensor \(name)",
                                               expected: "[G·H, H] with G = 4 (LSTM), 3 (GRU) or 1 (RNN)",
                                               actual: file[name].map { SafeTensors.Tensor.format($0.shape) } ?? "no such tensor")
        }
        return kind
    }
}
