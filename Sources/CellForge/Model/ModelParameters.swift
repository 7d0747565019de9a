/// All parameters of a model: one `CellParameters` per recurrent layer (canonical layout,
/// gate order of `CellKind`) and the head's `DenseParameters`. Gradients use the same type.
public struct ModelParameters<Scalar: CellScalar>: Equatable, Sendable {
    /// The architecture the parameters belong to.
    public let architecture: ModelArchitecture
    /// Layer l's parameters, bottom first.
    public var layers: [CellParameters<Scalar>]
    /// The head's parameters (nil exactly when the architecture has no head).
    public var head: DenseParameters<Scalar>?

    /// Parameters from their parts.
    /// - Throws: `CellForgeError` naming the first layer (or the head) whose kind or sizes
    ///   disagree with `architecture`.
    public init(architecture: ModelArchitecture, layers: [CellParameters<Scalar>],
                head: DenseParameters<Scalar>?) throws {
        guard layers.count == architecture.layers.count else {
            throw CellForgeError.shapeMismatch(name: "recurrent layers", expected: "\(architecture.layers.count)",
                                               actual: "\(layers.count)")
        }
        for (l, (p, shape)) in zip(layers, architecture.layers).enumerated() {
            guard p.kind == shape.kind else {
                throw CellForgeError.invalidArgument("layer \(l): expected cell \(shape.kind), got \(p.kind)")
            }
            guard p.hiddenSize == shape.hiddenSize, p.inputSize == shape.inputSize else {
                throw CellForgeError.shapeMismatch(name: "layer \(l) parameters",
                                                   expected: "H \(shape.hiddenSize), D \(shape.inputSize)",
                                                   actual: "H \(p.hiddenSize), D \(p.inputSize)")
            }
        }
        switch (architecture.head, head) {
        case (nil, nil): break
        case let (shape?, head?) where head.shape == shape: break
        case let (shape?, head?):
            throw CellForgeError.shapeMismatch(name: "head parameters", expected: "\(shape)", actual: "\(head.shape)")
        case let (shape?, nil):
            throw CellForgeError.shapeMismatch(name: "head parameters", expected: "\(shape)", actual: "none")
        case let (nil, head?):
            throw CellForgeError.shapeMismatch(name: "head parameters", expected: "none (the architecture has no head)",
                                               actual: "\(head.shape)")
        }
        self.architecture = architecture
        self.layers = layers
        self.head = head
    }

    /// Zero parameters (and gradients) for `architecture`.
    public init(zerosFor architecture: ModelArchitecture) throws {
        try self.init(architecture: architecture,
                      layers: try architecture.layers.map {
                          try CellParameters(kind: $0.kind, hiddenSize: $0.hiddenSize, inputSize: $0.inputSize)
                      },
                      head: architecture.head.map { DenseParameters(shape: $0) })
    }

    /// Random parameters: layer l from `seed + l`, the head from `seed + layers.count`, each
    /// uniform in ±1/√H like PyTorch's defaults.
    public static func random(_ architecture: ModelArchitecture, seed: UInt64) throws -> Self {
        let layers = try architecture.layers.enumerated().map { l, s in
            try CellParameters<Scalar>.random(kind: s.kind, hiddenSize: s.hiddenSize, inputSize: s.inputSize,
                                              seed: seed &+ UInt64(l))
        }
        let head = architecture.head.map { DenseParameters<Scalar>.random(shape: $0, seed: seed &+ UInt64(layers.count)) }
        return try Self(architecture: architecture, layers: layers, head: head)
    }

    /// Scalars in all layers and the head.
    public var scalarCount: Int { layers.reduce(0) { $0 + $1.values.count } + (head?.values.count ?? 0) }

    /// The same values in another scalar type.
    public func converted<Other: CellScalar>(to _: Other.Type = Other.self) -> ModelParameters<Other> {
        // The shapes are unchanged, so this cannot fail.
        try! ModelParameters<Other>(architecture: architecture, layers: layers.map { $0.converted(to: Other.self) },
                                    head: head?.converted(to: Other.self))
    }
}
