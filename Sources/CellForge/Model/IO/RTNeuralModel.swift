import Foundation

/// Whole models to and from RTNeural's JSON model files, as its `python/model_utils.py`
/// (`save_model`) writes them from a Keras model:
///
/// ```json
/// {"in_shape": [null, null, 1],
///  "layers": [{"type": "lstm", "activation": "tanh", "shape": [null, null, 8], "weights": [kernel, recurrent_kernel, bias]},
///             {"type": "dense", "activation": "", "shape": [null, null, 1], "weights": [kernel, bias]}]}
/// ```
///
/// Layer sizes are the last element of `in_shape` and of each `shape`; `weights` are the Keras
/// layer's `get_weights()` as nested arrays: `lstm` and `gru` (reset_after=True) in the
/// layout `KerasWeights` describes, `dense` (or `time-distributed-dense`) kernel [in, out]
/// and bias [out]. RTNeural has no SimpleRNN layer type, so tanh RNN layers neither import
/// nor export. The last layer may be `dense` with activation "" (identity), "linear", "tanh"
/// or "sigmoid", optionally followed by an `activation` layer giving the activation instead.
/// Any other layer type or activation (conv1d, prelu, batchnorm, relu, …) is refused.
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
    /// `maximumJSONContainerCount` arrays and objects, and at most 1024 lstm and gru layers
    /// (counted before any layer is built), so memory stays within a small multiple of the size.
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
        guard let layers = root["layers"]?.array else { throw CellForgeError.invalidFormat("RTNeural model has no \"layers\" array") }
        let recurrentCount = layers.count { ["lstm", "gru"].contains($0.object?["type"]?.string) }
        guard layers.count <= maximumLayerItems, recurrentCount <= ModelArchitecture.maximumLayerCount else {
            throw CellForgeError.invalidFormat("RTNeural model has \(layers.count) layers (\(recurrentCount) lstm or gru): the limit is "
                + "\(ModelArchitecture.maximumLayerCount) lstm or gru layers and a dense head (with an optional activation layer)")
        }
        var recurrent: [CellParameters<S>] = []
        var head: DenseParameters<S>?
        for (index, item) in layers.enumerated() {
            guard let layer = item.object, let type = layer["type"]?.string else {
                throw CellForgeError.invalidFormat("RTNeural layer \(index) is not an object with a string \"type\"")
            }
            let shown = SafeTensors.quoted(type)
            let what = "RTNeural layer \(index) (\(shown))"
            let activation = layer["activation"]?.string ?? ""
            if head != nil {
                guard type == "activation", index == layers.count - 1, head?.shape.activation == .identity else {
                    throw CellForgeError.invalidFormat("\(what) follows the dense layer: a CellForge model ends with its dense head "
                        + "(and at most one activation layer after an activation-less dense)")
                }
                head = try DenseParameters(shape: DenseHeadShape(inputSize: head!.shape.inputSize, outputSize: head!.shape.outputSize,
                                                                 activation: headActivation(activation, what)),
                                           weight: Array(head!.weight), bias: Array(head!.bias))
                continue
            }
            let out = try lastDimension(layer["shape"], "\(what) \"shape\"")
            guard let weights = layer["weights"]?.array else { throw CellForgeError.invalidFormat("\(what) has no \"weights\" array") }
            switch type {
            case "lstm", "gru":
                let kind: CellKind = type == "lstm" ? .lstm : .gru
                do { try CellParameters<S>.validate(hiddenSize: out, inputSize: size) } catch let error as CellForgeError {
                    throw CellForgeError.invalidFormat("\(what): \(error)")
                }
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
                recurrent.append(try KerasWeights.parameters(kind, from: file, source: what))
            case "dense", "time-distributed-dense":
                guard !recurrent.isEmpty else {
                    throw CellForgeError.invalidFormat("\(what) comes before any recurrent layer: a CellForge model starts with lstm or gru layers")
                }
                guard (1...2).contains(weights.count) else {
                    throw CellForgeError.shapeMismatch(name: "\(what) weights", expected: "1 or 2 arrays [kernel, bias]", actual: "\(weights.count)")
                }
                var tensors = ["kernel": try JSONTensor.tensor(weights[0], name: "\(what) weights[0] (kernel)", shape: [size, out])]
                tensors["bias"] = try weights.count == 2 ? JSONTensor.tensor(weights[1], name: "\(what) weights[1] (bias)", shape: [out]) : nil
                let bias: String? = tensors["bias"] == nil ? nil : "bias"
                let set = try WeightSet(["kernel"] + [bias].compactMap { $0 }, from: SafeTensors(tensors: tensors), prefix: "", source: what)
                head = try DenseWeights.parameters(from: set, weight: "kernel", bias: bias, inputSize: size,
                                                   activation: headActivation(activation, what), transposed: true)
            default:
                throw CellForgeError.invalidFormat("\(what): CellForge models have only lstm and gru layers and a dense head "
                    + (type == "activation" ? "(an activation layer may only follow the dense head)" : "(no \(shown) layer)"))
            }
            size = out
        }
        guard !recurrent.isEmpty else { throw CellForgeError.invalidFormat("RTNeural model has no lstm or gru layer") }
        let shapes = try recurrent.map { try RecurrentLayerShape(kind: $0.kind, hiddenSize: $0.hiddenSize, inputSize: $0.inputSize) }
        return try ModelParameters(architecture: ModelArchitecture(layers: shapes, head: head?.shape), layers: recurrent, head: head)
    }

    /// `model` as RTNeural JSON (what `model_utils.save_model` writes), numbers printed so
    /// that they read back exactly.
    /// - Throws: `CellForgeError.invalidArgument` for a tanh RNN layer (RTNeural has none) or a non-finite value.
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
            guard p.kind != .rnn else {
                throw CellForgeError.invalidArgument("layer \(l) is a tanh RNN, which RTNeural has no layer type for (it has lstm and gru)")
            }
            let file = KerasWeights.tensors(p, dtype: .f64)
            layers.append(layer(p.kind.rawValue, "tanh", p.hiddenSize,
                                try KerasWeights.tensorNames.map { try array(file[$0]!, "layer \(l) \($0)") }))
        }
        if let head = model.head {
            let file = DenseWeights.tensors(head, weight: "kernel", bias: "bias", transposed: true, dtype: .f64)
            let activation = head.shape.activation == .identity ? "" : head.shape.activation.rawValue
            layers.append(layer("dense", activation, head.shape.outputSize,
                                try ["kernel", "bias"].map { try array(file[$0]!, "head \($0)") }))
        }
        let text = "{\"in_shape\": [null, null, \(model.architecture.inputSize)], \"layers\": [\n"
            + layers.joined(separator: ",\n") + "\n]}\n"
        return Data(text.utf8)
    }

    /// The head activation RTNeural names `name` ("" for none).
    static func headActivation(_ name: String, _ what: String) throws -> HeadActivation {
        switch name {
        case "", "linear": return .identity
        case "tanh": return .tanh
        case "sigmoid": return .sigmoid
        default:
            throw CellForgeError.invalidFormat("\(what) has activation \(SafeTensors.quoted(name)): CellForge heads have "
                + "identity, tanh or sigmoid")
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
