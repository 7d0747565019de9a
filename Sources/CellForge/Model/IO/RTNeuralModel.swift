import Foundation

/// Whole models to and from RTNeural's JSON model files, as its `python/model_utils.py`
/// (`save_model`) writes them from a Keras model:
///
/// ```json
/// {"in_shape": [null, null, 1],
///  "layers": [{"type": "time-distributed-dense", "activation": "tanh", "shape": [null, null, 8], "weights": [kernel, bias]},
///             {"type": "lstm", "activation": "tanh", "shape": [null, null, 8], "weights": [kernel, recurrent_kernel, bias]},
///             {"type": "dense", "activation": "", "shape": [null, null, 1], "weights": [kernel, bias]}]}
/// ```
///
/// Layer sizes are the last element of `in_shape` and of each `shape`; `weights` are the Keras
/// layer's `get_weights()` as nested arrays. Layer types, in any order whose sizes chain:
/// - `lstm` and `gru` (reset_after=True), in the layout `KerasWeights` describes; their
///   `activation` must be "tanh" (or absent): the cells implement no other.
/// - `dense` and `time-distributed-dense`: kernel [in, out] and an optional bias [out]
///   (zero when absent), then the layer's `activation` as an activation layer.
/// - `activation`: its `activation` as a layer.
/// - `prelu`: weights [[[a_1, …, a_N]]], one slope per feature.
/// Activations: "" and "linear" (none), "tanh", "sigmoid", "relu", "softmax", "elu" (alpha 1,
/// as RTNeural's loader builds it). Other types (conv1d, conv2d, batchnorm) and activations
/// are refused. RTNeural has no SimpleRNN layer, so tanh RNN layers neither import nor export.
public enum RTNeuralModel {
    /// The model in an RTNeural JSON file of at most `maximumFileSize` bytes.
    /// - Throws: as `parameters(json:as:)`, or `CellForgeError.invalidArgument` if the file cannot be read.
    public static func parameters<S: CellScalar>(contentsOf url: URL, as _: S.Type = S.self) throws -> ModelParameters<S> {
        try parameters(json: RegularFile.read(url, maximumSize: maximumFileSize))
    }

    /// The model in RTNeural JSON bytes, validated in full (every layer's type and every
    /// array's shape, against the sizes that chain from `in_shape`) before anything is built.
    ///
    /// The JSON is read strictly (RFC 8259, `JSONParser`) within this type's limits: at most
    /// `maximumFileSize` bytes, `maximumJSONDepth` nesting, `maximumJSONValueCount` values and
    /// `maximumJSONContainerCount` arrays and objects, and at most
    /// `ModelArchitecture.maximumLayerCount` layers (counted before any layer is built), so
    /// memory stays within a small multiple of the size.
    /// - Throws: a one-line `CellForgeError` naming the layer index, its type and the array at
    ///   fault, or for bad JSON the problem and its byte offset, line and column.
    public static func parameters<S: CellScalar>(json data: Data, as _: S.Type = S.self) throws -> ModelParameters<S> {
        guard data.count <= maximumFileSize else {
            throw CellForgeError.invalidFormat("RTNeural model of \(data.count) bytes exceeds the limit of \(maximumFileSize) bytes")
        }
        guard let root = try JSONValue.parse(data, what: "RTNeural model", limits: jsonLimits).object else {
            throw CellForgeError.invalidFormat("RTNeural model is not a JSON object")
        }
        var size = try lastDimension(root["in_shape"], "RTNeural \"in_shape\"")
        do { try CellParameters<S>.validate(hiddenSize: 1, inputSize: size) } catch let error as CellForgeError {
            throw CellForgeError.invalidFormat("RTNeural \"in_shape\": \(error)")
        }
        guard let layers = root["layers"]?.array else { throw CellForgeError.invalidFormat("RTNeural model has no \"layers\" array") }
        guard layers.count <= ModelArchitecture.maximumLayerCount else {
            throw CellForgeError.invalidFormat("RTNeural model has \(layers.count) layers: the limit is \(ModelArchitecture.maximumLayerCount)")
        }
        var built: [LayerParameters<S>] = []
        for (index, item) in layers.enumerated() {
            guard let layer = item.object, let type = layer["type"]?.string else {
                throw CellForgeError.invalidFormat("RTNeural layer \(index) is not an object with a string \"type\"")
            }
            let what = "RTNeural layer \(index) (\(SafeTensors.quoted(type)))"
            guard let activationName = layer["activation"].map({ $0.string }) ?? "" else {
                throw CellForgeError.invalidFormat("\(what) \"activation\" is not a string")
            }
            let out = try lastDimension(layer["shape"], "\(what) \"shape\"")
            guard let weights = layer["weights"]?.array ?? (type == "activation" ? [] : nil) else {
                throw CellForgeError.invalidFormat("\(what) has no \"weights\" array")
            }
            do { try CellParameters<S>.validate(hiddenSize: out, inputSize: size) } catch let error as CellForgeError {
                throw CellForgeError.invalidFormat("\(what): \(error)")
            }
            switch type {
            case "lstm", "gru":
                guard layer["activation"] == nil || activationName == "tanh" else {
                    throw CellForgeError.invalidFormat("\(what) has activation \(SafeTensors.quoted(activationName)): CellForge's "
                        + "\(type) cells use tanh (and sigmoid gates) only")
                }
                let kind: CellKind = type == "lstm" ? .lstm : .gru
                let G = kind.gateCount
                guard weights.count == 3 else {
                    throw CellForgeError.shapeMismatch(name: "\(what) weights", expected: "3 arrays [kernel, recurrent_kernel, bias]",
                                                       actual: "\(weights.count)")
                }
                let file = SafeTensors(tensors: [
                    "kernel": try JSONTensor.tensor(weights[0], name: "\(what) weights[0] (kernel)", shape: [size, G * out]),
                    "recurrent_kernel": try JSONTensor.tensor(weights[1], name: "\(what) weights[1] (recurrent_kernel)", shape: [out, G * out]),
                    "bias": try JSONTensor.tensor(weights[2], name: "\(what) weights[2] (bias)", shape: kind == .gru ? [2, G * out] : [G * out]),
                ])
                built.append(.recurrent(try KerasWeights.parameters(kind, from: file, source: what)))
            case "dense", "time-distributed-dense":
                guard (1...2).contains(weights.count) else {
                    throw CellForgeError.shapeMismatch(name: "\(what) weights", expected: "1 or 2 arrays [kernel, bias]", actual: "\(weights.count)")
                }
                let activation = try self.activation(activationName, what)
                var tensors = ["kernel": try JSONTensor.tensor(weights[0], name: "\(what) weights[0] (kernel)", shape: [size, out])]
                tensors["bias"] = try weights.count == 2 ? JSONTensor.tensor(weights[1], name: "\(what) weights[1] (bias)", shape: [out]) : nil
                let bias: String? = tensors["bias"] == nil ? nil : "bias"
                let set = try WeightSet(["kernel"] + [bias].compactMap { $0 }, from: SafeTensors(tensors: tensors), prefix: "", source: what)
                built.append(.dense(try DenseWeights.parameters(from: set, weight: "kernel", bias: bias, inputSize: size, transposed: true)))
                if let activation { built.append(.activation(ActivationParameters(shape: try ActivationLayerShape(kind: activation, size: out)))) }
            case "activation":
                guard out == size else {
                    throw CellForgeError.shapeMismatch(name: "\(what) shape", expected: "[null, null, \(size)] (the size of the layer before)",
                                                       actual: "[…, \(out)]")
                }
                if let activation = try self.activation(activationName, what) {
                    built.append(.activation(ActivationParameters(shape: try ActivationLayerShape(kind: activation, size: out))))
                }
            case "prelu":
                guard out == size else {
                    throw CellForgeError.shapeMismatch(name: "\(what) shape", expected: "[null, null, \(size)] (the size of the layer before)",
                                                       actual: "[…, \(out)]")
                }
                guard weights.count == 1 else {
                    throw CellForgeError.shapeMismatch(name: "\(what) weights", expected: "1 array [alpha]", actual: "\(weights.count)")
                }
                let alpha = try JSONTensor.tensor(weights[0], name: "\(what) weights[0] (alpha)", shape: [1, out])
                let set = try WeightSet(["alpha"], from: SafeTensors(tensors: ["alpha": alpha]), prefix: "", source: what)
                built.append(.activation(try ActivationParameters(shape: ActivationLayerShape(kind: .prelu, size: out),
                                                                  values: set.values("alpha", shape: [1, out]))))
            default:
                throw CellForgeError.invalidFormat("\(what): CellForge reads lstm, gru, dense, time-distributed-dense, activation "
                    + "and prelu layers")
            }
            size = out
        }
        guard !built.isEmpty else { throw CellForgeError.invalidFormat("RTNeural model has no layer with an effect") }
        guard built.count <= ModelArchitecture.maximumLayerCount else {
            throw CellForgeError.invalidFormat("RTNeural model has \(built.count) layers counting its dense layers' activations: the "
                + "limit is \(ModelArchitecture.maximumLayerCount)")
        }
        return try ModelParameters(layers: built)
    }

    /// `model` as RTNeural JSON (what `model_utils.save_model` writes), numbers printed so
    /// that they read back exactly. Activation layers are written as `activation` layers
    /// (identity ones are left out: RTNeural has no layer for them), PReLU as `prelu`.
    /// - Throws: `CellForgeError.invalidArgument` naming the layer for a tanh RNN, leaky ReLU or
    ///   ELU with alpha other than 1 (RTNeural's loader has none), or a non-finite value.
    public static func json<S: CellScalar>(_ model: ModelParameters<S>) throws -> Data {
        func array(_ t: SafeTensors.Tensor, _ name: String) throws -> String {
            let values: [Double] = t.values()
            guard values.allSatisfy(\.isFinite) else { throw CellForgeError.nonFinite(name: name) }
            func nest(_ dims: ArraySlice<Int>, _ offset: Int) -> String {
                guard let d = dims.first else { return values[offset].description }
                let stride = dims.dropFirst().reduce(1, *)
                return "[" + (0..<d).map { nest(dims.dropFirst(), offset + $0 * stride) }.joined(separator: ", ") + "]"
            }
            return nest(t.shape[...], 0)
        }
        func layer(_ type: String, _ activation: String, _ size: Int, _ weights: [String]) -> String {
            "{\"type\": \"\(type)\", \"activation\": \"\(activation)\", \"shape\": [null, null, \(size)], \"weights\": ["
                + weights.joined(separator: ", ") + "]}"
        }
        var layers: [String] = []
        for (l, p) in model.layers.enumerated() {
            switch p {
            case let .recurrent(p):
                guard !p.kind.isSimpleRNN else {
                    throw CellForgeError.invalidArgument("layer \(l) is a \(p.kind == .rnnReLU ? "relu" : "tanh") RNN, which RTNeural has no layer type for (it has lstm and gru)")
                }
                let file = KerasWeights.tensors(p, dtype: .f64)
                layers.append(layer(p.kind.rawValue, "tanh", p.hiddenSize,
                                    try KerasWeights.tensorNames.map { try array(file[$0]!, "layer \(l) \($0)") }))
            case let .dense(p):
                let file = DenseWeights.tensors(p, weight: "kernel", bias: "bias", transposed: true, dtype: .f64)
                layers.append(layer("dense", "", p.shape.outputSize, try ["kernel", "bias"].map { try array(file[$0]!, "layer \(l) \($0)") }))
            case let .activation(p):
                let kind = p.shape.kind
                switch kind {
                case .identity: continue
                case .prelu:
                    let alpha = try SafeTensors.Tensor(shape: [1, p.shape.size], values: p.values.map(Double.init))
                    layers.append(layer("prelu", "", p.shape.size, [try array(alpha, "layer \(l) alpha")]))
                case .tanh, .sigmoid, .relu, .softmax, .elu(alpha: 1):
                    layers.append(layer("activation", ModelFormat.name(kind), p.shape.size, []))
                case .leakyReLU, .elu:
                    throw CellForgeError.invalidArgument("layer \(l) is \(kind), which RTNeural's loader has no activation for "
                        + "(it has tanh, sigmoid, relu, softmax, elu with alpha 1 and prelu)")
                }
            }
        }
        let text = "{\"in_shape\": [null, null, \(model.architecture.inputSize)], \"layers\": [\n"
            + layers.joined(separator: ",\n") + "\n]}\n"
        return Data(text.utf8)
    }

    /// The activation RTNeural names `name`, or nil for none ("" or "linear").
    static func activation(_ name: String, _ what: String) throws -> ActivationKind? {
        switch name {
        case "", "linear": return nil
        case "tanh": return .tanh
        case "sigmoid": return .sigmoid
        case "relu": return .relu
        case "softmax": return .softmax
        case "elu": return .elu(alpha: 1)
        default:
            throw CellForgeError.invalidFormat("\(what) has activation \(SafeTensors.quoted(name)): CellForge reads \"\", linear, "
                + "tanh, sigmoid, relu, softmax and elu")
        }
    }

    /// The last element of a JSON shape array ([null, null, 8] → 8).
    static func lastDimension(_ json: JSONValue?, _ name: String) throws -> Int {
        guard let n = json?.array?.last?.integer else {
            throw CellForgeError.invalidFormat("\(name) is not an array ending in an integer size")
        }
        return n
    }
}
