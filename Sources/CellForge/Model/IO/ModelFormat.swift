/// The names CellForge's model files and model checkpoints share: how an architecture is
/// written into safetensors `__metadata__` and read back, and the tensor names of a model's
/// parameters.
///
/// Metadata (all values decimal or lower-case names): `cellforge.scalar` ("Float" or "Double"),
/// `cellforge.layer_count`, per layer k `cellforge.layer.k.cell` ("lstm", "gru", "rnn"),
/// `cellforge.layer.k.hidden_size`, `cellforge.layer.k.input_size`, and for a head
/// `cellforge.head.input_size`, `cellforge.head.output_size`, `cellforge.head.activation`
/// ("identity", "tanh", "sigmoid"). Tensors: `layer.k.W` [G·H, D], `layer.k.U` [G·H, H],
/// `layer.k.b` [G·H], `layer.k.b_hn` [H] (GRU), `head.V` [O, H], `head.c` [O], in the
/// canonical layouts of `CellParameters` and `DenseParameters`; F32 for Float, F64 for Double.
enum ModelFormat {
    /// The metadata keys of an architecture.
    enum Key {
        static let scalar = "cellforge.scalar"
        static let layerCount = "cellforge.layer_count"
        static func layer(_ l: Int, _ field: String) -> String { "cellforge.layer.\(l).\(field)" }
        static let headInputSize = "cellforge.head.input_size"
        static let headOutputSize = "cellforge.head.output_size"
        static let headActivation = "cellforge.head.activation"
    }

    /// The metadata describing `architecture` with values of type `S`.
    static func metadata<S: CellScalar>(_ architecture: ModelArchitecture, scalar _: S.Type) -> [String: String] {
        var info = [Key.scalar: S.typeName, Key.layerCount: String(architecture.layers.count)]
        for (l, shape) in architecture.layers.enumerated() {
            info[Key.layer(l, "cell")] = shape.kind.rawValue
            info[Key.layer(l, "hidden_size")] = String(shape.hiddenSize)
            info[Key.layer(l, "input_size")] = String(shape.inputSize)
        }
        if let head = architecture.head {
            info[Key.headInputSize] = String(head.inputSize)
            info[Key.headOutputSize] = String(head.outputSize)
            info[Key.headActivation] = head.activation.rawValue
        }
        return info
    }

    /// The architecture and scalar type in `metadata`, and the keys they used.
    /// - Throws: a one-line `CellForgeError` naming the missing or malformed entry, the layer
    ///   whose sizes do not chain, or a cell kind CellForge lacks.
    static func architecture(from metadata: [String: String], file what: String) throws
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
        let scalarName = try value(Key.scalar)
        guard let scalar = ScalarType.allCases.first(where: { $0.swiftName == scalarName }) else {
            throw CellForgeError.invalidFormat("\(what) __metadata__ \"\(Key.scalar)\" is \(SafeTensors.quoted(scalarName)), not Float or Double")
        }
        let count = try integer(Key.layerCount)
        do { try ModelArchitecture.validate(layerCount: count) } catch let error as CellForgeError {
            throw CellForgeError.invalidFormat("\(what) __metadata__ \"\(Key.layerCount)\": \(error)")
        }
        var layers: [RecurrentLayerShape] = []
        for l in 0..<count {
            let cell = try value(Key.layer(l, "cell"))
            guard let kind = CellKind(rawValue: cell) else {
                throw CellForgeError.invalidFormat("\(what) layer \(l) has cell \(SafeTensors.quoted(cell)), which CellForge lacks "
                    + "(it has lstm, gru and rnn)")
            }
            let (H, D) = (try integer(Key.layer(l, "hidden_size")), try integer(Key.layer(l, "input_size")))
            do { layers.append(try RecurrentLayerShape(kind: kind, hiddenSize: H, inputSize: D)) } catch let error as CellForgeError {
                throw CellForgeError.invalidFormat("\(what) layer \(l): \(error)")
            }
        }
        var head: DenseHeadShape?
        if metadata[Key.headOutputSize] != nil || metadata[Key.headInputSize] != nil || metadata[Key.headActivation] != nil {
            let name = try value(Key.headActivation)
            guard let activation = HeadActivation(rawValue: name) else {
                throw CellForgeError.invalidFormat("\(what) head activation \(SafeTensors.quoted(name)) is not identity, tanh or sigmoid")
            }
            do {
                head = try DenseHeadShape(inputSize: integer(Key.headInputSize), outputSize: integer(Key.headOutputSize), activation: activation)
            } catch let error as CellForgeError where !error.description.contains("__metadata__") {
                throw CellForgeError.invalidFormat("\(what) head: \(error)")
            }
        }
        do {
            return (try ModelArchitecture(layers: layers, head: head), scalar, keys)
        } catch let error as CellForgeError {
            throw CellForgeError.invalidFormat("\(what) architecture: \(error)")
        }
    }

    /// The tensors of `model`, each name prefixed with `prefix`, in canonical order
    /// (`expected(_:prefix:)`'s names and shapes with the values).
    static func tensors<S: CellScalar>(of model: ModelParameters<S>, prefix: String = "")
        -> [(name: String, shape: [Int], values: ArraySlice<S>)] {
        let values = model.layers.flatMap { CheckpointFormat.tensors(of: $0).map(\.values) }
            + (model.head.map { [$0.weight, $0.bias] } ?? [])
        return zip(expected(model.architecture, prefix: prefix), values).map { ($0.name, $0.shape, $1) }
    }

    /// The tensor names and shapes of a model of `architecture`, prefixed with `prefix`, in
    /// the order of `tensors(of:prefix:)`; computed without allocating any parameters.
    static func expected(_ architecture: ModelArchitecture, prefix: String = "") -> [(name: String, shape: [Int])] {
        var out: [(name: String, shape: [Int])] = []
        for (l, shape) in architecture.layers.enumerated() {
            out += CheckpointFormat.shapes(shape.kind, hiddenSize: shape.hiddenSize, inputSize: shape.inputSize)
                .map { ("\(prefix)layer.\(l).\($0.name)", $0.shape) }
        }
        if let head = architecture.head {
            out.append(("\(prefix)head.V", [head.outputSize, head.inputSize]))
            out.append(("\(prefix)head.c", [head.outputSize]))
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
        let tensors = prefixes.flatMap { expected(header.architecture, prefix: $0) }
        let set = try WeightSet(tensors.map(\.name), from: file, prefix: "", source: what, inScope: { _ in true })
        try checkDType(file, scalar: header.scalar, file: what)
        try set.checkShapes(tensors)
        try TensorChecksums.verify(file, file: what)
        return set
    }

    /// The parameters of `architecture` read from `set` (already checked to hold exactly the
    /// expected tensors, in the expected shapes: `checkedTensors`) under `prefix`. Only the
    /// file's values are allocated, so memory stays proportional to the file's size.
    /// - Throws: `CellForgeError` naming a tensor of the wrong shape or with non-finite values.
    static func parameters<S: CellScalar>(_ architecture: ModelArchitecture, from set: WeightSet,
                                          prefix: String = "") throws -> ModelParameters<S> {
        var remaining = expected(architecture, prefix: prefix)[...]
        func take(_ count: Int) throws -> [S] {
            defer { remaining = remaining.dropFirst(count) }
            return try remaining.prefix(count).flatMap { try set.values($0.name, shape: $0.shape, as: S.self) }
        }
        let layers = try architecture.layers.map { shape in
            let count = CheckpointFormat.shapes(shape.kind, hiddenSize: shape.hiddenSize, inputSize: shape.inputSize).count
            return try CellParameters(kind: shape.kind, hiddenSize: shape.hiddenSize, inputSize: shape.inputSize, values: take(count))
        }
        let head = try architecture.head.map { try DenseParameters(shape: $0, weight: take(1), bias: take(1)) }
        return try ModelParameters(architecture: architecture, layers: layers, head: head)
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
