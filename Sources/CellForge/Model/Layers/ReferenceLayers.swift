/// Plain forms of the dense and activation layers over arrays, for the reference model: obvious
/// scalar loops, independent of `DenseMath` and `ActivationMath`, pre-specialised for Float and
/// Double. Every entry point checks its sizes and throws `CellForgeError` before computing.
public enum ReferenceLayers {
    /// y = W·x + b for one step: y_o = b_o + Σ_j w_oj·x_j, summed in increasing j.
    /// - Parameter parameters: W [O × I] row-major, then b [O] (`DenseParameters.values`).
    /// - Throws: `CellForgeError.shapeMismatch` naming the parameters or the input.
    @_specialize(where S == Float) @_specialize(where S == Double)
    public static func dense<S: CellScalar>(_ shape: DenseLayerShape, parameters: [S], input x: [S]) throws -> [S] {
        let (I, O) = (shape.inputSize, shape.outputSize)
        try check("dense parameters", parameters.count, shape.parameterCount, "[\(O) × \(I)] then [\(O)]")
        try check("dense input", x.count, I, "[\(I)]")
        var y = [S](repeating: 0, count: O)
        for o in 0..<O {
            var sum = parameters[O * I + o]
            for j in 0..<I { sum += parameters[o * I + j] * x[j] }
            y[o] = sum
        }
        return y
    }

    /// `dense(_:parameters:input:)` at every step.
    public static func dense<S: CellScalar>(_ shape: DenseLayerShape, parameters: [S], inputs: [[S]]) throws -> [[S]] {
        try inputs.map { try dense(shape, parameters: parameters, input: $0) }
    }

    /// y = f(z) for one step.
    /// - Parameter parameters: PReLU's slopes, empty for other kinds (`ActivationParameters.values`).
    /// - Throws: `CellForgeError.shapeMismatch` naming the parameters or the input.
    @_specialize(where S == Float) @_specialize(where S == Double)
    public static func activation<S: CellScalar>(_ shape: ActivationLayerShape, parameters: [S], input z: [S]) throws -> [S] {
        let n = shape.size
        try check(shape.kind == .prelu ? "prelu slopes" : "\(shape.kind) activation parameters", parameters.count, shape.parameterCount, "[\(shape.parameterCount)]")
        try check("\(shape.kind) activation input", z.count, n, "[\(n)]")
        switch shape.kind {
        case .identity: return z
        case .tanh: return z.map { S.tanh($0) }
        case .sigmoid: return z.map { S.sigmoid($0) }
        case .relu: return z.map { $0 <= 0 ? 0 : $0 }
        case let .leakyReLU(slope): return z.map { $0 > 0 ? $0 : S(slope) * $0 }
        case let .elu(alpha): return z.map { $0 > 0 ? $0 : S(alpha) * (S.exp($0) - 1) }
        case .prelu: return (0..<n).map { z[$0] > 0 ? z[$0] : parameters[$0] * z[$0] }
        case .softmax:
            let m = z.dropFirst().reduce(z[0]) { $1 > $0 ? $1 : $0 }
            let e = z.map { S.exp($0 - m) }
            var sum: S = 0
            for v in e { sum += v }
            return e.map { $0 / sum }
        }
    }

    /// `activation(_:parameters:input:)` at every step.
    public static func activation<S: CellScalar>(_ shape: ActivationLayerShape, parameters: [S], inputs: [[S]]) throws -> [[S]] {
        try inputs.map { try activation(shape, parameters: parameters, input: $0) }
    }

    private static func check(_ name: String, _ count: Int, _ expected: Int, _ layout: String) throws {
        guard count == expected else {
            throw CellForgeError.shapeMismatch(name: name, expected: "\(expected) values \(layout)", actual: "\(count)")
        }
    }
}
