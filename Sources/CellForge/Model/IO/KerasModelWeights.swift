/// Whole models to and from the weights of a Keras `Sequential` of `LSTM`, `GRU` and
/// `SimpleRNN` layers (default activations, GRU `reset_after=True`, `return_sequences=True`)
/// and an optional `Dense` on top, as safetensors tensors named `<layer>/<weight>`:
/// `lstm/kernel`, `lstm/recurrent_kernel`, `lstm/bias`, `lstm_1/kernel`, …, `dense/kernel`
/// [H, O], `dense/bias` [O] (a `use_bias=False` Dense has no bias: zero c).
///
/// Keras 3 saves the same arrays in a `.weights.h5` file as `layers/<layer>/cell/vars/0`
/// (kernel), `/1` (recurrent_kernel), `/2` (bias) and `layers/dense/vars/0`, `/1`; a
/// safetensors file holding those paths as names (a plain h5 dump) loads too, and
/// `tools/keras_weights_to_safetensors.py` converts a `.weights.h5` or `.keras` file to the
/// names above (docs/keras.md). Each layer maps as `KerasWeights` describes. A Dense's
/// activation is not in its weights, so it is a parameter of the import.
public enum KerasModelWeights {
    /// The model in a Keras weights file.
    /// - Parameters:
    ///   - layers: the recurrent layers' names, bottom first; nil finds them: every name with a
    ///     `recurrent_kernel`, ordered by Keras's numbering (`lstm`, `lstm_1`, `lstm_2`, …),
    ///     which is only unambiguous when all share one base name and no two have the same
    ///     number (`lstm` and `lstm_0` are refused).
    ///   - head: the Dense layer's name; nil finds it: the only other layer with a `kernel`, or
    ///     no head. When both are found, every tensor must belong to one of the layers.
    ///   - activation: the Dense layer's activation.
    /// - Throws: a one-line `CellForgeError` naming the layer and tensor at fault; nothing is returned partially.
    public static func parameters<S: CellScalar>(from file: SafeTensors, layers: [String]? = nil, head: String? = nil,
                                                 activation: ActivationKind = .identity,
                                                 as _: S.Type = S.self) throws -> ModelParameters<S> {
        let file = try renamingWeightsH5Paths(file)
        let found = try discover(file)
        let bases = Set(found.recurrent.map { numbered($0).base })
        guard layers != nil || bases.count <= 1 else {
            throw CellForgeError.invalidFormat("Keras weights hold layers of several names (\(bases.sorted().joined(separator: ", "))) "
                + "whose order cannot be told from the file: pass layers: with their names, bottom first")
        }
        if layers == nil { try checkNumbering(found.recurrent) }
        let names = layers ?? found.recurrent
        let dense = head ?? found.dense
        guard !names.isEmpty else { throw CellForgeError.invalidFormat("Keras weights have no recurrent layer (no tensor named */recurrent_kernel)") }
        if layers == nil, head == nil {
            let used = Set(names.map { $0 + "/" } + [dense.map { $0 + "/" }].compactMap { $0 })
            if let extra = file.names.first(where: { name in !used.contains { name.hasPrefix($0) } }) {
                throw CellForgeError.invalidFormat("Keras weights: unexpected tensor \(SafeTensors.quoted(extra)) "
                    + "(a CellForge model is recurrent layers and at most one Dense)")
            }
        }
        var params: [CellParameters<S>] = []
        for (l, name) in names.enumerated() {
            let kind = try kindOf(file, layer: name)
            let p: CellParameters<S> = try KerasWeights.parameters(kind, from: file, prefix: name + "/")
            if let below = params.last, p.inputSize != below.hiddenSize {
                throw CellForgeError.shapeMismatch(name: "Keras layer \(l) tensor \(name)/kernel",
                                                   expected: "[\(below.hiddenSize), \(p.rowCount)] (D = \(below.hiddenSize), the hidden size of layer \(l - 1))",
                                                   actual: "[\(p.inputSize), \(p.rowCount)]")
            }
            params.append(p)
        }
        let top = params[params.count - 1].hiddenSize
        let headParameters: DenseParameters<S>? = try dense.map { d in
            let bias = file[d + "/bias"] != nil ? d + "/bias" : nil
            let set = try WeightSet(["kernel"] + (bias != nil ? ["bias"] : []), from: file, prefix: d + "/", source: "Keras Dense weights")
            return try DenseWeights.parameters(from: set, weight: "kernel", bias: bias.map { _ in "bias" }, inputSize: top,
                                               transposed: true)
        }
        return try ModelParameters(recurrent: params, head: headParameters, activation: activation)
    }

    /// Keras's default layer names for `architecture`: `lstm`, `lstm_1`, `gru`, `simple_rnn`, …
    /// numbered per class in order, and `dense` for the dense layer if there is one.
    public static func layerNames(for architecture: ModelArchitecture) -> (layers: [String], head: String?) {
        var seen: [CellKind: Int] = [:]
        let names = architecture.recurrentLayers.map { shape -> String in
            let n = seen[shape.kind, default: 0]
            seen[shape.kind] = n + 1
            return baseName(shape.kind) + (n == 0 ? "" : "_\(n)")
        }
        let hasDense = architecture.layers.contains { if case .dense = $0 { true } else { false } }
        return (names, hasDense ? "dense" : nil)
    }

    /// The weights of `model` under `layerNames(for:)`, stored as `dtype` (default: the dtype matching `S`).
    /// - Throws: `CellForgeError.invalidArgument` unless the model is recurrent layers, then at
    ///   most one dense layer and one activation without parameters (the shape this importer reads).
    public static func tensors<S: CellScalar>(_ model: ModelParameters<S>, dtype: SafeTensors.DType? = nil) throws -> SafeTensors {
        let stack = try RecurrentStackWithHead(model, format: "Keras weights of recurrent layers and a Dense")
        let names = layerNames(for: model.architecture)
        var file = SafeTensors()
        for (p, name) in zip(stack.recurrent, names.layers) {
            file.tensors.merge(KerasWeights.tensors(p, prefix: name + "/", dtype: dtype).tensors) { a, _ in a }
        }
        if let head = stack.head, let name = names.head {
            file.tensors.merge(DenseWeights.tensors(head, weight: name + "/kernel", bias: name + "/bias", transposed: true,
                                                    dtype: dtype).tensors) { a, _ in a }
        }
        return file
    }

    /// `file` with Keras 3 `.weights.h5` paths (`layers/<layer>/cell/vars/k`, `layers/<layer>/vars/k`,
    /// k written as Keras writes it: 0, 1, 2) renamed to `<layer>/kernel`, `<layer>/recurrent_kernel`,
    /// `<layer>/bias`; unchanged if it has none. Other names are kept as they are.
    /// - Throws: `CellForgeError.invalidFormat` naming a path with an index beyond the layer's
    ///   weights, or two tensors that would get the same name (`lstm/kernel` and
    ///   `layers/lstm/cell/vars/0`): which one is meant cannot be told.
    static func renamingWeightsH5Paths(_ file: SafeTensors) throws -> SafeTensors {
        guard file.names.contains(where: { $0.hasPrefix("layers/") && $0.contains("/vars/") }) else { return file }
        var renamed = SafeTensors(metadata: file.metadata)
        var origin: [String: String] = [:]
        for name in file.names {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let isCell = parts.count == 5 && parts[2] == "cell" && parts[3] == "vars"
            let isDense = parts.count == 4 && parts[2] == "vars"
            var target = name
            if parts.first == "layers", isCell || isDense {
                let names = isCell ? KerasWeights.tensorNames : ["kernel", "bias"]  // .weights.h5 order
                guard let k = names.indices.first(where: { String($0) == parts[parts.count - 1] }) else {
                    throw CellForgeError.invalidFormat("Keras weights tensor \(SafeTensors.quoted(name)): a "
                        + (isCell ? "recurrent layer has vars 0 to 2" : "Dense layer has vars 0 and 1"))
                }
                target = "\(parts[1])/\(names[k])"
            }
            if let first = origin.updateValue(name, forKey: target) {
                throw CellForgeError.invalidFormat("Keras weights tensors \(SafeTensors.quoted(first)) and \(SafeTensors.quoted(name)) "
                    + "are both \(SafeTensors.quoted(target)): keep one of them")
            }
            renamed[target] = file[name]
        }
        return renamed
    }

    /// Keras's base layer name for a cell: "lstm", "gru", "simple_rnn".
    static func baseName(_ kind: CellKind) -> String {
        switch kind {
        case .lstm: "lstm"
        case .gru: "gru"
        case .rnn, .rnnReLU: "simple_rnn"
        }
    }

    /// The cell of layer `name`, from the gate count G in `recurrent_kernel` [H, G·H], checked
    /// against the layer's name when it is one of Keras's defaults.
    static func kindOf(_ file: SafeTensors, layer name: String) throws -> CellKind {
        let tensor = name + "/recurrent_kernel"
        let shape = file[tensor]?.shape ?? []
        let inferred = shape.count == 2 && shape[0] > 0 && shape[1] % shape[0] == 0
            ? CellKind.allCases.first { $0.gateCount == shape[1] / shape[0] } : nil
        guard let kind = inferred else {
            throw CellForgeError.shapeMismatch(name: "Keras tensor \(tensor)", expected: "[H, G·H] with G = 4 (LSTM), 3 (GRU) or 1 (SimpleRNN)",
                                               actual: file[tensor].map { SafeTensors.Tensor.format($0.shape) } ?? "no such tensor")
        }
        let base = numbered(name).base
        if let named = CellKind.allCases.first(where: { baseName($0) == base }), named != kind {
            throw CellForgeError.invalidFormat("Keras layer \(SafeTensors.quoted(name)) is named as a \(named) layer but "
                + "\(tensor) \(SafeTensors.Tensor.format(shape)) has the gates of a \(kind)")
        }
        return kind
    }

    /// The recurrent layers in Keras's numbering (names with the same place in it, such as
    /// `lstm` and `lstm_0`, by name; `checkNumbering` refuses them) and the only Dense layer,
    /// found by their tensors.
    static func discover(_ file: SafeTensors) throws -> (recurrent: [String], dense: String?) {
        let layers = Set(file.names.compactMap { name in name.lastIndex(of: "/").map { String(name[..<$0]) } })
        let recurrent = layers.filter { file[$0 + "/recurrent_kernel"] != nil }
            .sorted { (numbered($0).base, numbered($0).index, $0) < (numbered($1).base, numbered($1).index, $1) }
        let dense = layers.filter { file[$0 + "/kernel"] != nil && file[$0 + "/recurrent_kernel"] == nil }.sorted()
        guard dense.count <= 1 else {
            throw CellForgeError.invalidFormat("Keras weights have several Dense-like layers (\(dense.map(SafeTensors.quoted).joined(separator: ", "))): "
                + "pass head: to pick one")
        }
        return (recurrent, dense.first)
    }

    /// Throws unless every layer of `recurrent` (in Keras's numbering) has its own place in it.
    /// - Throws: `CellForgeError.invalidFormat` naming two layers with the same place
    ///   (`lstm` and `lstm_0`, `lstm_1` and `lstm_01`), whose order cannot be told.
    static func checkNumbering(_ recurrent: [String]) throws {
        for (a, b) in zip(recurrent, recurrent.dropFirst()) where numbered(a) == numbered(b) {
            throw CellForgeError.invalidFormat("Keras layers \(SafeTensors.quoted(a)) and \(SafeTensors.quoted(b)) have the same place "
                + "in Keras's numbering (\(numbered(a).base) \(numbered(a).index)), so their order cannot be told: "
                + "pass layers: with their names, bottom first")
        }
    }

    /// ("lstm", 2) for "lstm_2", ("lstm", 0) for "lstm": a suffix of an underscore and decimal
    /// digits (only) is the index; "lstm_0" and "lstm_00" are ("lstm", 0) too.
    static func numbered(_ name: String) -> (base: String, index: Int) {
        if let cut = name.lastIndex(of: "_") {
            let digits = name.utf8[name.utf8.index(after: cut)...]
            if !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
                return (String(name[..<cut]), digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) })
            }
        }
        return (name, 0)
    }
}
