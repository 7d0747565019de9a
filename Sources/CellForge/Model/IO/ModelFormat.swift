/// The names CellForge's model files and model checkpoints share: how an architecture is
/// written into safetensors `__metadata__` and read back, and the tensor names of a model's
/// parameters.
///
/// Metadata (all values decimal or lower-case names): `cellforge.scalar` ("Float" or "Double"),
/// `cellforge.layer_count`, and per layer k `cellforge.layer.k.kind`: "lstm", "gru" or "rnn"
/// with `.hidden_size` and `.input_size`; "dense" with `.input_size` and `.output_size`; or an
/// activation ("identity", "tanh", "sigmoid", "relu", "softmax", "prelu", "leaky_relu" and
/// "elu", the last two with `.constant`, the slope or alpha as a decimal that reads back
/// exactly) with `.size`. Tensors: `layer.k.W` [G·H, D], `layer.k.U` [G·H, H], `layer.k.b`
/// [G·H], `layer.k.b_hn` [H] (GRU); `layer.k.weight` [O, I] and `layer.k.bias` [O] (dense);
/// `layer.k.slope` [size] (PReLU); in the canonical layouts of `LayerParameters`; F32 for
/// Float, F64 for Double.
///
/// Version 1 files (read, not written) held recurrent layers (`cellforge.layer.k.cell`) and
/// an optional head (`cellforge.head.input_size`, `.output_size`, `.activation`: identity,
/// tanh or sigmoid; tensors `head.V`, `head.c`): they load as those layers, a dense layer and
/// an activation layer unless identity.
enum ModelFormat {
    /// The version written.
    static var version: Int { 2 }

    /// The metadata keys of an architecture.
    enum Key {
        static let scalar = "cellforge.scalar"
        static let layerCount = "cellforge.layer_count"
        static func layer(_ l: Int, _ field: String) -> String { "cellforge.layer.\(l).\(field)" }
        static let headInputSize = "cellforge.head.input_size"
        static let headOutputSize = "cellforge.head.output_size"
        static let headActivation = "cellforge.head.activation"
    }

    /// The name an activation kind is written as, without its constant.
    static func name(_ kind: ActivationKind) -> String {
        switch kind {
        case .leakyReLU: "leaky_relu"
        case .elu: "elu"
        default: kind.description
        }
    }

    /// The metadata describing `architecture` with values of type `S`.
    static func metadata<S: CellScalar>(_ architecture: ModelArchitecture, scalar _: S.Type) -> [String: String] {
        var info = [Key.scalar: S.typeName, Key.layerCount: String(architecture.layers.count)]
        for (l, layer) in architecture.layers.enumerated() {
            switch layer {
            case let .recurrent(s):
                info[Key.layer(l, "kind")] = s.kind.rawValue
                info[Key.layer(l, "hidden_size")] = String(s.hiddenSize)
                info[Key.layer(l, "input_size")] = String(s.inputSize)
            case let .dense(s):
                info[Key.layer(l, "kind")] = "dense"
                info[Key.layer(l, "input_size")] = String(s.inputSize)
                info[Key.layer(l, "output_size")] = String(s.outputSize)
            case let .activation(s):
                info[Key.layer(l, "kind")] = name(s.kind)
                info[Key.layer(l, "size")] = String(s.size)
                switch s.kind {
                case let .leakyReLU(c), let .elu(c): info[Key.layer(l, "constant")] = String(c)
                default: break
                }
            }
        }
        return info
    }

    /// The architecture and scalar type in `metadata` of a file of format `version` (1 or 2),
    /// and the keys they used.
    /// - Throws: a one-line `CellForgeError` naming the missing or malformed entry, the layer
    ///   whose sizes do not chain, or a layer kind CellForge lacks.
    static func architecture(from metadata: [String: String], version: Int, file what: String) throws
        -> (architecture: ModelArchitecture, scalar: ScalarType, keys: Set<String>) {
        var keys: Set<String> = []
        func value(_ key: String) throws -> String {
            guard let v = metadata[key] else { throw CellForgeError.invalidFormat("\(what) __metadata__ has no \"\(key)\" entry") }
            keys.insert(key)
            return v
        }
        func integer(_ key: String) throws -> Int {
            let v = try value(key)
            guard let n = Int(v) else {
                throw CellForgeError.invalidFormat("\(what) __metadata__ \"\(key)\" is \(SafeTensors.quoted(v)), not an integer")
            }
            return n
        }
        func constant(_ key: String) throws -> Double {
            let v = try value(key)
            guard let c = Double(v), c.isFinite else {
                throw CellForgeError.invalidFormat("\(what) __metadata__ \"\(key)\" is \(SafeTensors.quoted(v)), not a finite number")
            }
            return c
        }
        let scalarName = try value(Key.scalar)
        guard let scalar = ScalarType.allCases.first(where: { $0.swiftName == scalarName }) else {
            throw CellForgeError.invalidFormat("\(what) __metadata__ \"\(Key.scalar)\" is \(SafeTensors.quoted(scalarName)), not Float or Double")
        }
        let count = try integer(Key.layerCount)
        do { try ModelArchitecture.validate(layerCount: count) } catch let error as CellForgeError {
            throw CellForgeError.invalidFormat("\(what) __metadata__ \"\(Key.layerCount)\": \(error)")
        }
        var layers: [LayerShape] = []
        for l in 0..<count {
            let kindKey = Key.layer(l, version == 1 ? "cell" : "kind")
            let name = try value(kindKey)
            do {
                if let cell = CellKind(rawValue: name) {
                    layers.append(.recurrent(try RecurrentLayerShape(kind: cell, hiddenSize: integer(Key.layer(l, "hidden_size")),
                                                                     inputSize: integer(Key.layer(l, "input_size")))))
                } else if version == 1 {
                    throw CellForgeError.invalidFormat("\(what) layer \(l) has cell \(SafeTensors.quoted(name)), which CellForge lacks "
                        + "(it has lstm, gru and rnn)")
                } else if name == "dense" {
                    layers.append(.dense(try DenseLayerShape(inputSize: integer(Key.layer(l, "input_size")),
                                                             outputSize: integer(Key.layer(l, "output_size")))))
                } else if let kind = try activation(name, constant: { try constant(Key.layer(l, "constant")) }) {
                    layers.append(.activation(try ActivationLayerShape(kind: kind, size: integer(Key.layer(l, "size")))))
                } else {
                    throw CellForgeError.invalidFormat("\(what) layer \(l) has kind \(SafeTensors.quoted(name)), which CellForge lacks "
                        + "(it has lstm, gru, rnn, dense, identity, tanh, sigmoid, relu, softmax, prelu, leaky_relu and elu)")
                }
            } catch let error as CellForgeError where !error.description.contains("__metadata__") && !error.description.contains(what) {
                throw CellForgeError.invalidFormat("\(what) layer \(l): \(error)")
            }
        }
        if version == 1, metadata[Key.headOutputSize] != nil || metadata[Key.headInputSize] != nil || metadata[Key.headActivation] != nil {
            let name = try value(Key.headActivation)
            guard let activation = [ActivationKind.identity, .tanh, .sigmoid].first(where: { $0.description == name }) else {
                throw CellForgeError.invalidFormat("\(what) head activation \(SafeTensors.quoted(name)) is not identity, tanh or sigmoid")
            }
            do {
                let dense = try DenseLayerShape(inputSize: integer(Key.headInputSize), outputSize: integer(Key.headOutputSize))
                layers.append(.dense(dense))
                if activation != .identity { layers.append(.activation(try ActivationLayerShape(kind: activation, size: dense.outputSize))) }
            } catch let error as CellForgeError where !error.description.contains("__metadata__") {
                throw CellForgeError.invalidFormat("\(what) head: \(error)")
            }
        }
        do {
            return (try ModelArchitecture(layers: layers), scalar, keys)
        } catch let error as CellForgeError {
            throw CellForgeError.invalidFormat("\(what) architecture: \(error)")
        }
    }

    /// The activation kind written as `name`, reading its constant where it has one; nil for
    /// a name that is not an activation.
    static func activation(_ name: String, constant: () throws -> Double) throws -> ActivationKind? {
        switch name {
        case "leaky_relu": .leakyReLU(slope: try constant())
        case "elu": .elu(alpha: try constant())
        default: ActivationKind.plainKinds.first { $0.description == name }
        }
    }

    /// The tensors of `model`, each name prefixed with `prefix`, in canonical order
    /// (`expected(_:prefix:)`'s names and shapes with the values).
    static func tensors<S: CellScalar>(of model: ModelParameters<S>, prefix: String = "")
        -> [(name: String, shape: [Int], values: ArraySlice<S>)] {
        let values = model.layers.flatMap { layer -> [ArraySlice<S>] in
            switch layer {
            case let .recurrent(p): CheckpointFormat.tensors(of: p).map(\.values)
            case let .dense(p): [p.weight, p.bias]
            case let .activation(p): p.values.isEmpty ? [] : [p.values[...]]
            }
        }
        return zip(expected(model.architecture, prefix: prefix), values).map { ($0.name, $0.shape, $1) }
    }

    /// The tensor names and shapes of a model of `architecture` in a file of format `version`,
    /// prefixed with `prefix`, in the order of `tensors(of:prefix:)`; computed without
    /// allocating any parameters.
    static func expected(_ architecture: ModelArchitecture, prefix: String = "", version: Int = version) -> [(name: String, shape: [Int])] {
        var out: [(name: String, shape: [Int])] = []
        for (l, layer) in architecture.layers.enumerated() {
            switch layer {
            case let .recurrent(s):
                out += CheckpointFormat.shapes(s.kind, hiddenSize: s.hiddenSize, inputSize: s.inputSize)
                    .map { ("\(prefix)layer.\(l).\($0.name)", $0.shape) }
            case let .dense(s):
                let (weight, bias) = version == 1 ? ("head.V", "head.c") : ("layer.\(l).weight", "layer.\(l).bias")
                out.append(("\(prefix)\(weight)", [s.outputSize, s.inputSize]))
                out.append(("\(prefix)\(bias)", [s.outputSize]))
            case let .activation(s):
                if s.parameterCount > 0 { out.append(("\(prefix)layer.\(l).slope", [s.size])) }
            }
        }
        return out
    }

    /// The tensors of a model of `header`'s architecture under each of `prefixes`, picked out of
    /// `file` and checked in the order every CellForge loader keeps, before any parameter is
    /// allocated (so a file declaring a large architecture with small or no tensors costs
    /// memory bounded by its size): every tensor present and no other (missing ones named
    /// first), each dtype the header's scalar type stores, each shape the architecture's, and
    /// the checksums (`TensorChecksums`).
    /// - Throws: a one-line `CellForgeError` naming the tensor or entry at fault.
    static func checkedTensors(_ header: ModelFileHeader, in file: SafeTensors, prefixes: [String] = [""],
                               file what: String) throws -> WeightSet {
        let tensors = prefixes.flatMap { expected(header.architecture, prefix: $0, version: header.version) }
        let set = try WeightSet(tensors.map(\.name), from: file, prefix: "", source: what, inScope: { _ in true })
        try checkDType(file, scalar: header.scalar, file: what)
        try set.checkShapes(tensors)
        try TensorChecksums.verify(file, file: what)
        return set
    }

    /// The parameters of `architecture` read from `set` (already checked to hold exactly the
    /// expected tensors, in the expected shapes: `checkedTensors`) under `prefix`, named as in
    /// format `version`. Only the file's values are allocated, so memory stays proportional to
    /// the file's size.
    /// - Throws: `CellForgeError` naming a tensor of the wrong shape or with non-finite values.
    static func parameters<S: CellScalar>(_ architecture: ModelArchitecture, from set: WeightSet,
                                          prefix: String = "", version: Int = version) throws -> ModelParameters<S> {
        var remaining = expected(architecture, prefix: prefix, version: version)[...]
        func take(_ count: Int) throws -> [S] {
            defer { remaining = remaining.dropFirst(count) }
            return try remaining.prefix(count).flatMap { try set.values($0.name, shape: $0.shape, as: S.self) }
        }
        let layers = try architecture.layers.map { layer -> LayerParameters<S> in
            switch layer {
            case let .recurrent(s):
                let count = CheckpointFormat.shapes(s.kind, hiddenSize: s.hiddenSize, inputSize: s.inputSize).count
                return .recurrent(try CellParameters(kind: s.kind, hiddenSize: s.hiddenSize, inputSize: s.inputSize, values: take(count)))
            case let .dense(s): return .dense(try DenseParameters(shape: s, weight: take(1), bias: take(1)))
            case let .activation(s): return .activation(try ActivationParameters(shape: s, values: take(s.parameterCount > 0 ? 1 : 0)))
            }
        }
        return try ModelParameters(architecture: architecture, layers: layers)
    }

    /// Throws naming the first tensor of `file` whose dtype is not the one `scalar` is stored as.
    static func checkDType(_ file: SafeTensors, scalar: ScalarType, file what: String) throws {
        let dtype: SafeTensors.DType = scalar == .float ? .f32 : .f64
        if let name = file.names.first(where: { file[$0]!.dtype != dtype }) {
            throw CellForgeError.invalidFormat("\(what) tensor \(SafeTensors.quoted(name)) is \(file[name]!.dtype), "
                + "but \(scalar.swiftName) models store \(dtype)")
        }
    }

    /// Throws naming a user metadata key that starts with "cellforge.".
    static func checkUserMetadata(_ metadata: [String: String], file what: String) throws {
        if let key = metadata.keys.sorted().first(where: { $0.hasPrefix(CheckpointFormat.reservedPrefix) }) {
            throw CellForgeError.invalidArgument("\(what) metadata key \(SafeTensors.quoted(key)) is reserved: keys starting with "
                + "\"\(CheckpointFormat.reservedPrefix)\" describe the file itself")
        }
    }

    /// Throws naming the first tensor of `model` (prefixed `prefix`) holding NaN or infinity.
    static func checkFinite<S: CellScalar>(_ model: ModelParameters<S>, prefix: String = "", file what: String) throws {
        for t in tensors(of: model, prefix: prefix) where !t.values.allSatisfy(\.isFinite) {
            throw CellForgeError.nonFinite(name: "\(what) tensor \(t.name)")
        }
    }
}
