/// A dense layer's parameters to and from a weight tensor and an optional bias: PyTorch's
/// `nn.Linear` stores the weight as W [O, I]; Keras's `Dense` (and RTNeural) as its
/// transpose, `kernel` [I, O]. A missing bias is zero.
enum DenseWeights {
    /// The dense layer reading `inputSize` scalars per step, from tensors of `set`; nil
    /// `inputSize` takes it from the weight's shape.
    /// - Throws: `CellForgeError` naming the tensor of the wrong shape (its input dimension
    ///   must be `inputSize`, the output size of the layer below) or with non-finite values.
    static func parameters<S: CellScalar>(from set: WeightSet, weight: String, bias: String?, inputSize: Int?,
                                          transposed: Bool) throws -> DenseParameters<S> {
        let s = set.shape(weight)
        let H = inputSize ?? (s.count == 2 ? (transposed ? s[0] : s[1]) : 0)
        let what = inputSize == nil ? "the weight's input size" : "the output size of the layer below"
        let expected = transposed ? "[\(H), O] (\(H) = \(what))" : "[O, \(H)] (\(H) = \(what))"
        guard s.count == 2, (transposed ? s[0] : s[1]) == H else { throw set.mismatch(weight, expected: expected) }
        let O = transposed ? s[1] : s[0]
        guard (1...CellParameters<Float>.maximumSize).contains(O), (1...CellParameters<Float>.maximumSize).contains(H) else { throw set.mismatch(weight, expected: expected + " with 1 ≤ O ≤ \(CellParameters<Float>.maximumSize)") }
        let values: [S] = try set.values(weight, shape: s)
        let V = transposed ? (0..<(O * H)).map { values[($0 % H) * O + $0 / H] } : values
        let c: [S] = try bias.map { try set.values($0, shape: [O]) } ?? [S](repeating: 0, count: O)
        return try DenseParameters(shape: DenseLayerShape(inputSize: H, outputSize: O), weight: V, bias: c)
    }

    /// The tensors `weight` ([O, H], or [H, O] when `transposed`) and `bias` [O] of `p`, as `dtype`.
    static func tensors<S: CellScalar>(_ p: DenseParameters<S>, weight: String, bias: String, transposed: Bool,
                                       dtype: SafeTensors.DType?) -> SafeTensors {
        let (O, H) = (p.shape.outputSize, p.shape.inputSize)
        let V = Array(p.weight)
        let stored = transposed ? (0..<(O * H)).map { V[($0 % O) * H + $0 / O] } : V
        // Shapes match the value counts by construction.
        return SafeTensors(tensors: [
            weight: try! .init(shape: transposed ? [H, O] : [O, H], values: stored, dtype: dtype),
            bias: try! .init(shape: [O], values: Array(p.bias), dtype: dtype),
        ])
    }
}
