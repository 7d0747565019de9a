/// One module of a PyTorch model, in the order its `forward` applies them to each step's
/// features, as CellForge reads (and writes) its state_dict tensors.
public enum PyTorchModule: Hashable, Sendable, CustomStringConvertible {
    /// An `nn.LSTM`, `nn.GRU` or `nn.RNN` (tanh) under `prefix` ("layers.2."), unidirectional,
    /// `batch_first` either way, any `num_layers` (one CellForge layer each), with or without
    /// biases; the cell comes from the gate count of `weight_hh_l0`.
    case recurrent(prefix: String)
    /// An `nn.RNN(nonlinearity='relu')` under `prefix`, read as `.recurrent` reads an `nn.RNN`
    /// but as `.rnnReLU` layers: a state_dict does not name the nonlinearity, so say it here.
    case reluRNN(prefix: String)
    /// An `nn.Linear` under `prefix`: `weight` [O, I] and an optional `bias` [O].
    case linear(prefix: String)
    /// An `nn.PReLU` under `prefix`: `weight` [C] with C the feature count, or [1] (one slope
    /// shared by every feature, which imports as C equal slopes).
    case prelu(prefix: String)
    /// A module without parameters (`nn.Tanh`, `nn.Sigmoid`, `nn.ReLU`, `nn.LeakyReLU(slope)`,
    /// `nn.ELU(alpha)`, `nn.Softmax(dim=-1)`, `nn.Identity`).
    case activation(ActivationKind)

    /// One module per layer of `architecture`, layer l under "\(prefix)\(l).": the layout of a
    /// `torch.nn.ModuleList` (or `nn.Sequential` of modules acting per step) holding one
    /// module per CellForge layer, each recurrent one with `num_layers` = 1.
    public static func modules(for architecture: ModelArchitecture, prefix: String = "layers.") -> [PyTorchModule] {
        architecture.layers.enumerated().map { l, layer in
            switch layer {
            case let .recurrent(shape): shape.kind == .rnnReLU ? .reluRNN(prefix: "\(prefix)\(l).") : .recurrent(prefix: "\(prefix)\(l).")
            case .dense: .linear(prefix: "\(prefix)\(l).")
            case let .activation(a): a.kind == .prelu ? .prelu(prefix: "\(prefix)\(l).") : .activation(a.kind)
            }
        }
    }

    /// "LSTM at layers.2.", "Linear at head.", "tanh".
    public var description: String {
        switch self {
        case let .recurrent(prefix): "recurrent module at \(prefix)"
        case let .reluRNN(prefix): "relu RNN at \(prefix)"
        case let .linear(prefix): "Linear at \(prefix)"
        case let .prelu(prefix): "PReLU at \(prefix)"
        case let .activation(kind): "\(kind)"
        }
    }
}

extension PyTorchModelWeights {
    /// The model whose modules `modules` lists, read from a state_dict.
    /// - Parameters:
    ///   - inputSize: the model's input size; needed only when the first module is an
    ///     activation or PReLU (recurrent and Linear modules give it by their weights' shapes).
    /// - Throws: a one-line `CellForgeError` naming the module (index, kind, prefix) and tensor
    ///   at fault: missing or unexpected tensors under the modules' prefixes, shapes that do
    ///   not chain, bidirectional or projected recurrent modules, non-finite values. Nothing
    ///   is returned partially.
    public static func parameters<S: CellScalar>(from file: SafeTensors, modules: [PyTorchModule], inputSize: Int? = nil,
                                                 as _: S.Type = S.self) throws -> ModelParameters<S> {
        var names: [String] = []
        var recurrent: [String: (kind: CellKind, count: Int, bias: Bool)] = [:]
        for (m, module) in modules.enumerated() {
            switch module {
            case let .recurrent(prefix), let .reluRNN(prefix):
                var (kind, count, bias) = try recurrentModule(in: file, prefix: prefix)
                if case .reluRNN = module {
                    guard kind == .rnn else {
                        throw CellForgeError.invalidFormat("PyTorch module \(m) (\(module)) tensor \(SafeTensors.quoted(prefix + "weight_hh_l0")) "
                            + "\(SafeTensors.Tensor.format(file[prefix + "weight_hh_l0"]!.shape)) has the gates of a \(kind), not of an RNN")
                    }
                    kind = .rnnReLU
                }
                recurrent[prefix] = (kind, count, bias)
                names += (0..<count).flatMap { PyTorchWeights.tensorNames(layer: $0, bias: bias).map { prefix + $0 } }
            case let .linear(prefix):
                names += [prefix + "weight"] + (file[prefix + "bias"] != nil ? [prefix + "bias"] : [])
            case let .prelu(prefix):
                names.append(prefix + "weight")
            case .activation:
                break
            }
        }
        let prefixes = modules.compactMap { module -> String? in
            switch module {
            case let .recurrent(p), let .reluRNN(p), let .linear(p), let .prelu(p): p
            case .activation: nil
            }
        }
        let set = try WeightSet(names, from: file, prefix: "", source: "PyTorch state_dict",
                                inScope: { name in prefixes.contains { name.hasPrefix($0) } })
        var layers: [LayerParameters<S>] = []
        var size = inputSize
        for (m, module) in modules.enumerated() {
            let what = "PyTorch module \(m) (\(module))"
            do {
                switch module {
                case let .recurrent(prefix), let .reluRNN(prefix):
                    let r = recurrent[prefix]!
                    for k in 0..<r.count {
                        let p: CellParameters<S> = try PyTorchWeights.parameters(r.kind, from: set.within(prefix), layer: k, bias: r.bias)
                        if let size, p.inputSize != size {
                            throw set.mismatch(prefix + "weight_ih_l\(k)", expected: "[\(p.rowCount), \(size)] (the output size of the layer before)")
                        }
                        layers.append(.recurrent(p))
                        size = p.hiddenSize
                    }
                case let .linear(prefix):
                    let p: DenseParameters<S> = try DenseWeights.parameters(from: set, weight: prefix + "weight",
                                                                            bias: file[prefix + "bias"] != nil ? prefix + "bias" : nil,
                                                                            inputSize: size, transposed: false)
                    layers.append(.dense(p))
                    size = p.shape.outputSize
                case let .prelu(prefix):
                    guard let C = size else { throw CellForgeError.invalidArgument("\(what) comes first: pass inputSize:") }
                    let shape = set.shape(prefix + "weight")
                    guard shape == [C] || shape == [1] else { throw set.mismatch(prefix + "weight", expected: "[\(C)] or [1]") }
                    let slopes: [S] = try set.values(prefix + "weight", shape: shape)
                    layers.append(.activation(try ActivationParameters(shape: ActivationLayerShape(kind: .prelu, size: C),
                                                                       values: shape == [1] ? Array(repeating: slopes[0], count: C) : slopes)))
                case let .activation(kind):
                    guard let C = size else { throw CellForgeError.invalidArgument("\(what) comes first: pass inputSize:") }
                    guard kind != .prelu else {
                        throw CellForgeError.invalidArgument("\(what): a PReLU has parameters; list it as .prelu(prefix:)")
                    }
                    layers.append(.activation(ActivationParameters(shape: try ActivationLayerShape(kind: kind, size: C))))
                }
            } catch let error as CellForgeError where !error.description.contains("PyTorch module") {
                throw CellForgeError.invalidFormat("\(what): \(error)")
            }
        }
        guard !layers.isEmpty else { throw CellForgeError.invalidArgument("PyTorch modules: none given") }
        return try ModelParameters(layers: layers)
    }

    /// The state_dict of `model` laid out as `PyTorchModule.modules(for:prefix:)` says (one
    /// module per layer, `layers.0.weight`, `layers.1.weight_ih_l0`, …), stored as `dtype`
    /// (default: the dtype matching `S`). Recurrent biases go whole into `bias_ih` (see `PyTorchWeights`).
    public static func sequentialTensors<S: CellScalar>(_ model: ModelParameters<S>, prefix: String = "layers.",
                                              dtype: SafeTensors.DType? = nil) -> SafeTensors {
        sequentialStateDict(model, prefix: prefix, dtype: dtype, gradient: false)
    }

    /// The gradient of a loss with respect to every tensor `sequentialTensors` writes, from
    /// `gradient` (a `ModelParameters` used as a gradient, as `ModelDriver` returns it): what
    /// autograd puts in each `.grad` (`PyTorchWeights.gradientTensors` for recurrent layers).
    public static func sequentialGradientTensors<S: CellScalar>(_ gradient: ModelParameters<S>, prefix: String = "layers.",
                                                      dtype: SafeTensors.DType? = nil) -> SafeTensors {
        sequentialStateDict(gradient, prefix: prefix, dtype: dtype, gradient: true)
    }

    private static func sequentialStateDict<S: CellScalar>(_ model: ModelParameters<S>, prefix: String, dtype: SafeTensors.DType?,
                                                           gradient: Bool) -> SafeTensors {
        var file = SafeTensors()
        for (l, layer) in model.layers.enumerated() {
            let at = "\(prefix)\(l)."
            let part: SafeTensors
            switch layer {
            case let .recurrent(p):
                part = gradient ? PyTorchWeights.gradientTensors(p, prefix: at, dtype: dtype) : PyTorchWeights.tensors(p, prefix: at, dtype: dtype)
            case let .dense(p):
                part = DenseWeights.tensors(p, weight: at + "weight", bias: at + "bias", transposed: false, dtype: dtype)
            case let .activation(p):
                // Shapes match the value counts by construction.
                part = p.values.isEmpty ? SafeTensors() : SafeTensors(tensors: [at + "weight": try! .init(shape: [p.values.count], values: p.values, dtype: dtype)])
            }
            file.tensors.merge(part.tensors) { a, _ in a }
        }
        return file
    }
}
