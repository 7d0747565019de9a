/// The parameters of a dense layer, y = W·x + b: W [O × I] row-major, then b [O], back to
/// back in `values` (weights first). Gradients use the same type and layout.
public struct DenseParameters<Scalar: CellScalar>: Equatable, Sendable {
    /// The layer's shape.
    public let shape: DenseLayerShape
    /// W row-major (element (o, j) at o·I + j), then b.
    public var values: [Scalar]

    /// Zero parameters for `shape`.
    public init(shape: DenseLayerShape) {
        self.shape = shape
        values = Array(repeating: 0, count: shape.parameterCount)
    }

    /// Parameters from their tensors.
    /// - Throws: `CellForgeError.shapeMismatch` naming the tensor of the wrong length.
    public init(shape: DenseLayerShape, weight: [Scalar], bias: [Scalar]) throws {
        let (O, H) = (shape.outputSize, shape.inputSize)
        guard weight.count == O * H else {
            throw CellForgeError.shapeMismatch(name: "dense weight", expected: "\(O * H) values [\(O) × \(H)]",
                                               actual: "\(weight.count)")
        }
        guard bias.count == O else {
            throw CellForgeError.shapeMismatch(name: "dense bias", expected: "\(O) values [\(O)]", actual: "\(bias.count)")
        }
        self.shape = shape
        values = weight + bias
    }

    /// Parameters drawn uniformly from [−scale, scale] (default 1/√I, as PyTorch's nn.Linear).
    public static func random(shape: DenseLayerShape, scale: Scalar? = nil, seed: UInt64) -> Self {
        var p = Self(shape: shape)
        var rng = SplitMix64(seed: seed)
        let s = scale ?? 1 / Scalar(shape.inputSize).squareRoot()
        for k in p.values.indices { p.values[k] = rng.nextSigned(Scalar.self) * s }
        return p
    }

    /// W, O·I scalars row-major.
    public var weight: ArraySlice<Scalar> { values[..<(shape.outputSize * shape.inputSize)] }
    /// b, O scalars.
    public var bias: ArraySlice<Scalar> { values[(shape.outputSize * shape.inputSize)...] }

    /// The same values in another scalar type.
    public func converted<Other: CellScalar>(to _: Other.Type = Other.self) -> DenseParameters<Other> {
        var p = DenseParameters<Other>(shape: shape)
        p.values = values.map { Other($0) }
        return p
    }
}
