/// The parameters of an activation layer: PReLU's slopes (one per feature), none for the other
/// kinds. Gradients use the same type and layout.
public struct ActivationParameters<Scalar: CellScalar>: Equatable, Sendable {
    /// The layer's shape.
    public let shape: ActivationLayerShape
    /// PReLU: the slopes a_1…a_size; empty for every other kind.
    public var values: [Scalar]

    /// PyTorch's initial PReLU slope (`nn.PReLU(init=0.25)`).
    public static var initialPReLUSlope: Scalar { 0.25 }

    /// Zero parameters for `shape` (the form of a gradient accumulator).
    public init(shape: ActivationLayerShape) {
        self.shape = shape
        values = Array(repeating: 0, count: shape.parameterCount)
    }

    /// Parameters from their tensor.
    /// - Throws: `CellForgeError.shapeMismatch` naming the tensor unless `values` holds
    ///   `shape.parameterCount` scalars.
    public init(shape: ActivationLayerShape, values: [Scalar]) throws {
        guard values.count == shape.parameterCount else {
            let name = shape.kind == .prelu ? "prelu slopes" : "\(shape.kind) activation parameters"
            throw CellForgeError.shapeMismatch(name: name, expected: "\(shape.parameterCount) values [\(shape.parameterCount)]",
                                               actual: "\(values.count)")
        }
        self.shape = shape
        self.values = values
    }

    /// The parameters a new layer starts from: every PReLU slope `initialPReLUSlope`, as PyTorch
    /// initialises them (not drawn at random); the seed is taken so that every kind of layer is
    /// initialised through the same call.
    public static func random(shape: ActivationLayerShape, seed _: UInt64) -> Self {
        var p = Self(shape: shape)
        for k in p.values.indices { p.values[k] = initialPReLUSlope }
        return p
    }

    /// The same values in another scalar type.
    public func converted<Other: CellScalar>(to _: Other.Type = Other.self) -> ActivationParameters<Other> {
        var p = ActivationParameters<Other>(shape: shape)
        p.values = values.map { Other($0) }
        return p
    }
}
