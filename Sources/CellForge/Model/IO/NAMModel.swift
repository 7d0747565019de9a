import Foundation

/// An LSTM model in Neural Amp Modeler's `.nam` format (architecture "LSTM"), as NAM's trainer
/// writes it (`nam.models.recurrent.LSTM.export`) and its plugin core reads it:
///
/// ```json
/// {"version": "0.5.4", "architecture": "LSTM", "config": {"input_size": 1, "hidden_size": 16, "num_layers": 1},
///  "weights": [...], "sample_rate": 48000, "metadata": {...}}
/// ```
///
/// `weights` is one flat array: for each layer l, the matrix [W_ih | W_hh] (4H rows,
/// D_l + H columns, row-major, PyTorch's gate order (i, f, g, o)), then the bias b_ih + b_hh
/// (4H), then the initial h (H) and the initial c (H); then the head's weight (O × H,
/// row-major) and bias (O). D_0 is `input_size`, every other D_l is H, and O is
/// `out_channels` (1 when absent, the only value NAM's Python package writes). The head has no
/// activation. The initial states are where NAM's plugin starts a stream: use them with
/// `ModelStream.setState(_:)` (`initialState` is in the stream's layout).
///
/// Of `metadata`, the entries whose values are strings are kept (`metadata`: a name, who modelled
/// it, how it was trained); numbers and objects (loudness, dates) are not; `version` is not checked (the LSTM layout
/// is the same in every version), and files are written as version 0.5.4.
public struct NAMModel<Scalar: CellScalar>: Equatable, Sendable {
    /// The layers (all LSTM of one hidden size) and the identity-activation head.
    public let parameters: ModelParameters<Scalar>
    /// The state a stream starts from: per layer h (H) then c (H), bottom layer first, as
    /// `ModelStream.currentState` lays it out.
    public let initialState: [Scalar]
    /// The sample rate the model was trained at, in Hz, if the file says.
    public let sampleRate: Double?
    /// The string entries of the file's `metadata` object.
    public let metadata: [String: String]

    /// What messages call this kind of file.
    static var what: String { "NAM LSTM model" }
    /// The format version written.
    static var version: String { "0.5.4" }

    /// A model NAM's LSTM can hold.
    /// - Parameters:
    ///   - initialState: per layer h then c (`ModelStream`'s layout); nil for zeros.
    ///   - sampleRate: the rate in Hz the model was trained at, or nil.
    ///   - metadata: string entries for the file's `metadata` object.
    /// - Throws: a one-line `CellForgeError` unless every layer is an LSTM of one hidden size,
    ///   the head exists and has no activation, the state has 2·H per layer, every value is
    ///   finite, and the sample rate is positive and finite.
    public init(parameters: ModelParameters<Scalar>, initialState: [Scalar]? = nil, sampleRate: Double? = nil,
                metadata: [String: String] = [:]) throws {
        let architecture = parameters.architecture
        let stack = try RecurrentStackWithHead(parameters, format: Self.what)
        let H = stack.recurrent[0].hiddenSize
        if let l = stack.recurrent.firstIndex(where: { $0.kind != .lstm || $0.hiddenSize != H }) {
            throw CellForgeError.invalidArgument("\(Self.what): layer \(l) is \(architecture.layers[l]), but NAM's LSTM has "
                + "LSTM layers of one hidden size (layer 0's H\(H))")
        }
        guard stack.head != nil, stack.activation == .identity else {
            throw CellForgeError.invalidArgument("\(Self.what): NAM's LSTM ends in a dense layer with no activation after it, but this "
                + "model has " + (stack.head == nil ? "no dense layer" : "a \(stack.activation) activation after it"))
        }
        let stateSize = 2 * H * stack.recurrent.count
        let state = initialState ?? [Scalar](repeating: 0, count: stateSize)
        guard state.count == stateSize else {
            throw CellForgeError.shapeMismatch(name: "\(Self.what) initial state",
                                               expected: "\(stateSize) values (h and c of H\(H) for \(stack.recurrent.count) layers)",
                                               actual: "\(state.count)")
        }
        try ModelFormat.checkFinite(parameters, file: Self.what)
        if let k = state.firstIndex(where: { !$0.isFinite }) {
            throw CellForgeError.nonFinite(name: "\(Self.what) initial state value \(k)")
        }
        if let sampleRate, !(sampleRate.isFinite && sampleRate > 0) {
            throw CellForgeError.invalidArgument("\(Self.what) sample rate \(sampleRate): must be positive and finite")
        }
        self.parameters = parameters
        self.initialState = state
        self.sampleRate = sampleRate
        self.metadata = metadata
    }

    /// The largest `.nam` file read: that of the other JSON model format, RTNeural's
    /// (`RTNeuralModel.maximumFileSize`, 256 MiB), whose JSON limits (nesting, values) apply too.
    public static var maximumFileSize: Int { RTNeuralModel.maximumFileSize }

    /// Reads the `.nam` file at `url` (`RegularFile.read(_:maximumSize:)`); see `init(json:)`.
    public static func load(contentsOf url: URL) throws -> NAMModel {
        try NAMModel(json: RegularFile.read(url, maximumSize: maximumFileSize))
    }

    /// The model in `.nam` JSON bytes, validated in full before anything is built: the
    /// architecture is "LSTM"; `input_size`, `hidden_size`, `num_layers` (and `in_channels`,
    /// equal to `input_size`, and `out_channels`, if present) are integers in CellForge's
    /// ranges; `weights` holds exactly the count those sizes need, all numbers representable
    /// in `Scalar`; `sample_rate`, if present, a positive number.
    /// - Throws: a one-line `CellForgeError` naming the field, or the weight by index and
    ///   the layer and tensor it belongs to.
    public init(json data: Data) throws {
        let what = Self.what
        guard data.count <= Self.maximumFileSize else {
            throw CellForgeError.invalidFormat("NAM model of \(data.count) bytes exceeds the limit of \(Self.maximumFileSize) bytes")
        }
        guard let root = try JSONValue.parse(data, what: "NAM model", limits: RTNeuralModel.jsonLimits).object else {
            throw CellForgeError.invalidFormat("NAM model is not a JSON object")
        }
        guard let architecture = root["architecture"]?.string else {
            throw CellForgeError.invalidFormat("NAM model has no string \"architecture\"")
        }
        guard architecture == "LSTM" else {
            throw CellForgeError.invalidFormat("NAM model architecture \(SafeTensors.quoted(architecture)) is not supported: "
                + "CellForge reads LSTM models")
        }
        guard let config = root["config"]?.object else { throw CellForgeError.invalidFormat("\(what) has no \"config\" object") }
        /// The integer `key` of the config (`fallback` if absent) within `allowed`.
        func size(_ key: String, default fallback: Int? = nil, allowed: ClosedRange<Int> = 1...CellParameters<Scalar>.maximumSize) throws -> Int {
            guard let value = config[key] else {
                if let fallback { return fallback }
                throw CellForgeError.invalidFormat("\(what) config has no \"\(key)\"")
            }
            guard let n = value.integer else {
                throw CellForgeError.invalidFormat("\(what) config \"\(key)\" is \(value.summary), not an integer")
            }
            guard allowed.contains(n) else {
                throw CellForgeError.invalidSize(name: "\(what) config \"\(key)\"", value: n,
                                                 allowed: "between \(allowed.lowerBound) and \(allowed.upperBound)")
            }
            return n
        }
        let (D, H) = (try size("input_size"), try size("hidden_size"))
        let L = try size("num_layers", allowed: 1...ModelArchitecture.maximumLayerCount)
        let O = try size("out_channels", default: 1)
        let inChannels = try size("in_channels", default: D)
        guard inChannels == D else {
            throw CellForgeError.shapeMismatch(name: "\(what) config \"in_channels\"", expected: "\(D) (input_size)", actual: "\(inChannels)")
        }
        // Every size is in range, so the architecture is valid.
        let shape = try! ModelArchitecture(kind: .lstm, inputSize: D, hiddenSizes: [Int](repeating: H, count: L), outputSize: O)
        guard let weights = root["weights"]?.array else { throw CellForgeError.invalidFormat("\(what) has no \"weights\" array") }
        let layout = Layout(architecture: shape)
        guard weights.count == layout.count else {
            throw CellForgeError.shapeMismatch(name: "\(what) weights",
                                               expected: "\(layout.count) values (input_size \(D), hidden_size \(H), num_layers \(L), out_channels \(O))",
                                               actual: "\(weights.count)")
        }
        var values = [Double](repeating: 0, count: weights.count)
        for (k, item) in weights.enumerated() {
            guard case let .number(x) = item else {
                throw CellForgeError.invalidFormat("\(what) weights[\(k)] (\(layout.name(of: k))) is \(item.summary), not a number")
            }
            guard Scalar(x).isFinite else {
                throw CellForgeError.invalidFormat("\(what) weights[\(k)] (\(layout.name(of: k))) is \(x), out of \(Scalar.typeName) range")
            }
            values[k] = x
        }
        var sampleRate: Double?
        if let rate = root["sample_rate"] {
            guard case let .number(r) = rate, r > 0 else {
                throw CellForgeError.invalidFormat("\(what) \"sample_rate\" is \(rate.summary), not a positive number")
            }
            sampleRate = r
        }
        let parameters: ModelParameters<Scalar> = try PyTorchModelWeights.parameters(
            from: layout.stateDict(values), recurrent: Layout.recurrent, head: Layout.head, kind: .lstm)
        let strings = (root["metadata"]?.object ?? [:]).compactMapValues(\.string)
        try self.init(parameters: parameters, initialState: layout.initialState(values).map { Scalar($0) }, sampleRate: sampleRate,
                      metadata: strings)
    }

    /// The model as `.nam` JSON that NAM's plugin core and its Python package
    /// (`nam.models.init_from_nam`) load, numbers printed so that they read back exactly.
    /// A model with more than one output writes `out_channels`, which NAM's plugin core reads
    /// but its Python package does not.
    public func json() -> Data {
        let layout = Layout(architecture: parameters.architecture)
        // The parameters were validated as an LSTM stack with a head in `init`.
        let file = try! PyTorchModelWeights.tensors(parameters, recurrent: Layout.recurrent, head: Layout.head, dtype: .f64)
        let numbers = layout.weights(file, initialState: initialState.map { Double($0) }).map(\.description)
        let architecture = parameters.architecture
        var config = "{\"input_size\": \(architecture.inputSize), \"hidden_size\": \(layout.hiddenSize), "
            + "\"num_layers\": \(layout.layerCount)"
        if architecture.outputSize != 1 { config += ", \"out_channels\": \(architecture.outputSize)" }
        let entries = metadata.sorted { $0.key < $1.key }.map { SafeTensors.jsonString($0.key) + ": " + SafeTensors.jsonString($0.value) }
        var text = "{\"version\": \"\(Self.version)\", \"metadata\": {\(entries.joined(separator: ", "))}, \"architecture\": \"LSTM\", "
            + "\"config\": \(config)}, "
            + "\"weights\": [" + numbers.joined(separator: ", ") + "]"
        if let sampleRate { text += ", \"sample_rate\": \(sampleRate.description)" }
        return Data((text + "}\n").utf8)
    }

    /// Writes `json()` to `url` atomically (`AtomicFile.write(_:to:)`).
    /// - Throws: `CellForgeError.invalidArgument` saying which step of the write failed.
    public func save(to url: URL) throws { try AtomicFile.write(json(), to: url) }
}

/// Where each value of a NAM LSTM's flat `weights` array belongs.
private struct Layout {
    static let recurrent = "rnn.", head = "head."
    let inputSize: Int, hiddenSize: Int, layerCount: Int, outputSize: Int

    init(architecture: ModelArchitecture) {
        let recurrent = architecture.recurrentLayers
        (inputSize, hiddenSize) = (architecture.inputSize, recurrent[0].hiddenSize)
        (layerCount, outputSize) = (recurrent.count, architecture.outputSize)
    }

    /// D of layer `l`.
    func input(_ l: Int) -> Int { l == 0 ? inputSize : hiddenSize }
    /// Values of layer `l`: [W_ih | W_hh], bias, h, c.
    func valueCount(ofLayer l: Int) -> Int { 4 * hiddenSize * (input(l) + hiddenSize) + 4 * hiddenSize + 2 * hiddenSize }
    /// Where layer `l` starts.
    func start(_ l: Int) -> Int { (0..<l).reduce(0) { $0 + valueCount(ofLayer: $1) } }
    /// Where the head starts.
    var headStart: Int { start(layerCount) }
    /// The whole array's length.
    var count: Int { headStart + outputSize * (hiddenSize + 1) }

    /// The layer and tensor value `k` belongs to, for messages.
    func name(of k: Int) -> String {
        let H = hiddenSize
        var offset = k
        for l in 0..<layerCount {
            let matrix = 4 * H * (input(l) + H)
            let parts = [("[W_ih | W_hh]", matrix), ("bias", 4 * H), ("initial h", H), ("initial c", H)]
            for (name, size) in parts {
                if offset < size { return "layer \(l) \(name)" }
                offset -= size
            }
        }
        return offset < outputSize * H ? "head weight" : "head bias"
    }

    /// The values as a PyTorch state_dict of an `nn.LSTM` under `recurrent` and an `nn.Linear` under `head`.
    func stateDict(_ values: [Double]) throws -> SafeTensors {
        let H = hiddenSize, G = 4 * hiddenSize
        var file = SafeTensors()
        for l in 0..<layerCount {
            let (D, base) = (input(l), start(l))
            var wih: [Double] = [], whh: [Double] = []
            for r in 0..<G {
                let row = base + r * (D + H)
                wih += values[row..<(row + D)]
                whh += values[(row + D)..<(row + D + H)]
            }
            let bias = base + G * (D + H)
            file[Self.recurrent + "weight_ih_l\(l)"] = try SafeTensors.Tensor(shape: [G, D], values: wih)
            file[Self.recurrent + "weight_hh_l\(l)"] = try SafeTensors.Tensor(shape: [G, H], values: whh)
            file[Self.recurrent + "bias_ih_l\(l)"] = try SafeTensors.Tensor(shape: [G], values: Array(values[bias..<(bias + G)]))
            file[Self.recurrent + "bias_hh_l\(l)"] = try SafeTensors.Tensor(shape: [G], values: [Double](repeating: 0, count: G))
        }
        let weight = headStart, bias = headStart + outputSize * H
        file[Self.head + "weight"] = try SafeTensors.Tensor(shape: [outputSize, H], values: Array(values[weight..<bias]))
        file[Self.head + "bias"] = try SafeTensors.Tensor(shape: [outputSize], values: Array(values[bias...]))
        return file
    }

    /// The initial states in `values`, per layer h then c.
    func initialState(_ values: [Double]) -> [Double] {
        (0..<layerCount).flatMap { l -> ArraySlice<Double> in
            let h = start(l) + 4 * hiddenSize * (input(l) + hiddenSize) + 4 * hiddenSize
            return values[h..<(h + 2 * hiddenSize)]
        }
    }

    /// The flat array of a PyTorch state_dict (`stateDict(_:)`'s names) and initial states.
    func weights(_ file: SafeTensors, initialState: [Double]) -> [Double] {
        let H = hiddenSize, G = 4 * hiddenSize
        var out: [Double] = []
        out.reserveCapacity(count)
        for l in 0..<layerCount {
            let D = input(l)
            let wih: [Double] = file[Self.recurrent + "weight_ih_l\(l)"]!.values()
            let whh: [Double] = file[Self.recurrent + "weight_hh_l\(l)"]!.values()
            for r in 0..<G { out += wih[(r * D)..<((r + 1) * D)] + whh[(r * H)..<((r + 1) * H)] }
            let bih: [Double] = file[Self.recurrent + "bias_ih_l\(l)"]!.values()
            let bhh: [Double] = file[Self.recurrent + "bias_hh_l\(l)"]!.values()
            out += zip(bih, bhh).map(+)
            out += initialState[(l * 2 * H)..<((l + 1) * 2 * H)]
        }
        out += file[Self.head + "weight"]!.values() as [Double]
        out += file[Self.head + "bias"]!.values() as [Double]
        return out
    }
}
