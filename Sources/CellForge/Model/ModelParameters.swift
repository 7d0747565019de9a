/// All parameters of a model: one `LayerParameters` per layer, in the canonical layout of its
/// kind. Gradients use the same type.
public struct ModelParameters<Scalar: CellScalar>: Equatable, Sendable {
    /// The architecture the parameters belong to.
    public let architecture: ModelArchitecture
    /// Layer l's parameters, in order.
    public var layers: [LayerParameters<Scalar>]

    /// Parameters from their layers; the architecture is theirs.
    /// - Throws: `CellForgeError` if the layers' sizes do not chain (naming the layer), or there
    ///   are none or too many.
    public init(layers: [LayerParameters<Scalar>]) throws {
        try self.init(architecture: ModelArchitecture(layers: layers.map(\.shape)), layers: layers)
    }

    /// Parameters for `architecture`.
    /// - Throws: `CellForgeError` naming the first layer whose kind or sizes disagree with `architecture`.
    public init(architecture: ModelArchitecture, layers: [LayerParameters<Scalar>]) throws {
        guard layers.count == architecture.layers.count else {
            throw CellForgeError.shapeMismatch(name: "model layers", expected: "\(architecture.layers.count) (\(architecture))",
                                               actual: "\(layers.count)")
        }
        for (l, (p, shape)) in zip(layers, architecture.layers).enumerated() where p.shape != shape {
            throw CellForgeError.shapeMismatch(name: "layer \(l) parameters", expected: "\(shape)", actual: "\(p.shape)")
        }
        self.architecture = architecture
        self.layers = layers
    }

    /// A recurrent stack with an optional dense head and activation (see
    /// `ModelArchitecture.init(recurrent:head:activation:)`): the shape one PyTorch, Keras or
    /// NAM recurrent module with a Linear after it holds.
    /// - Throws: `CellForgeError` if the sizes do not chain (naming the layer).
    public init(recurrent: [CellParameters<Scalar>], head: DenseParameters<Scalar>? = nil,
                activation: ActivationKind = .identity) throws {
        let architecture = try ModelArchitecture(
            recurrent: recurrent.map { try RecurrentLayerShape(kind: $0.kind, hiddenSize: $0.hiddenSize, inputSize: $0.inputSize) },
            head: head?.shape.outputSize, activation: activation)
        if let head, let top = recurrent.last, head.shape.inputSize != top.hiddenSize {
            throw CellForgeError.shapeMismatch(name: "dense input size", expected: "\(top.hiddenSize) (the hidden size of layer \(recurrent.count - 1))",
                                               actual: "\(head.shape.inputSize)")
        }
        var layers = recurrent.map(LayerParameters.recurrent)
        if let head { layers.append(.dense(head)) }
        if activation != .identity { layers.append(LayerParameters(zerosFor: architecture.layers[layers.count])) }
        try self.init(architecture: architecture, layers: layers)
    }

    /// Zero parameters (and gradients) for `architecture`.
    public init(zerosFor architecture: ModelArchitecture) {
        self.architecture = architecture
        layers = architecture.layers.map { LayerParameters(zerosFor: $0) }
    }

    /// Random parameters: layer l from `seed + l` (see `LayerParameters.random`).
    public static func random(_ architecture: ModelArchitecture, seed: UInt64) -> Self {
        var p = Self(zerosFor: architecture)
        p.layers = architecture.layers.enumerated().map { l, s in LayerParameters.random(s, seed: seed &+ UInt64(l)) }
        return p
    }

    /// Scalars in all layers.
    public var scalarCount: Int { layers.reduce(0) { $0 + $1.values.count } }

    /// The recurrent layers' parameters, in order.
    public var recurrentLayers: [CellParameters<Scalar>] { layers.compactMap(\.recurrent) }

    /// The same values in another scalar type.
    public func converted<Other: CellScalar>(to _: Other.Type = Other.self) -> ModelParameters<Other> {
        // The shapes are unchanged, so this cannot fail.
        try! ModelParameters<Other>(architecture: architecture, layers: layers.map { $0.converted(to: Other.self) })
    }
}

/// A model seen as a recurrent stack with an optional dense head and a final activation: the
/// shape formats that store one recurrent module and one Linear (PyTorch, Keras, NAM) can write.
public struct RecurrentStackWithHead<Scalar: CellScalar>: Equatable, Sendable {
    /// The recurrent layers, at least one.
    public let recurrent: [CellParameters<Scalar>]
    /// The dense head, or nil.
    public let head: DenseParameters<Scalar>?
    /// The activation after the head (or after the top recurrent layer without a head).
    public let activation: ActivationKind

    /// `model` in this shape.
    /// - Throws: `CellForgeError.invalidArgument` naming the first layer that does not fit
    ///   recurrent layers, then at most one dense layer, then at most one parameter-free activation.
    public init(_ model: ModelParameters<Scalar>, format: String) throws {
        var k = 0
        let layers = model.layers
        var recurrent: [CellParameters<Scalar>] = []
        while k < layers.count, let p = layers[k].recurrent { recurrent.append(p); k += 1 }
        let head = k < layers.count ? layers[k].dense : nil
        if head != nil { k += 1 }
        var activation = ActivationKind.identity
        if k < layers.count, case let .activation(a) = layers[k], a.shape.parameterCount == 0 { activation = a.shape.kind; k += 1 }
        guard !recurrent.isEmpty, k == layers.count else {
            let l = recurrent.isEmpty ? 0 : k
            throw CellForgeError.invalidArgument("layer \(l) (\(model.architecture.layers[l])) does not fit \(format): it holds "
                + "recurrent layers, then at most one dense layer and one activation without parameters")
        }
        self.recurrent = recurrent
        self.head = head
        self.activation = activation
    }
}
