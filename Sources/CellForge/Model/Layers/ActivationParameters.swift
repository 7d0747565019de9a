/// The parameters of an activation layer: PReLU's slopes (one per feature), none otherwise.
/// Gradients use the same type.
public struct ActivationParameters<Scalar: CellScalar>: Equatable, Sendable {
    /// The layer's shape.
    public let shape: ActivationLayerShape
    /// The slopes a_i of a PReLU layer (`shape.size` scalars); empty for other kinds.
    public var values: [Scalar]

    /// Zero parameters (and gradients) for `shape`.
    public init(shape: ActivationLayerShape) {
        self.shape = shape
        values = Array(repeating: 0, count: shape.parameterCount)
    }

    /// Parameters from their values.
    /// - Throws: `CellForgeError.shapeMismatch` unless `values` has `shape.parameterCount` scalars.
    public init(shape: ActivationLayerShape, values: [Scalar]) throws {
        guard values.count == shape.parameterCount else {
            throw CellForgeError.shapeMismatch(name: "\(shape.kind) parameters", expected: "\(shape.parameterCount) values",
                                               actual: "\(values.count)")
        }
        self.shape = shape
        self.values = values
    }

    /// The initial parameters: PReLU slopes of 0.25 (PyTorch's default), none otherwise.
    public static func initial(shape: ActivationLayerShape) -> Self {
        var p = Self(shape: shape)
        for k in p.values.indices { p.values[k] = 0.25 }
        return p
    }

    /// The same values in another scalar type.
    public func converted<Other: CellScalar>(to _: Other.Type = Other.self) -> ActivationParameters<Other> {
        var p = ActivationParameters<Other>(shape: shape)
        p.values = values.map { Other($0) }
        return p
    }
}
