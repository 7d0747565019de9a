/// Dense and activation layers for one time step in plain scalar loops, written out here so
/// the oracle (`ReferenceModel`) shares no code with `DenseLayer` and `ActivationLayer`.
enum ReferencePointwise {
    /// The layer's output for input `x` (a contract: `layer` is dense or activation).
    static func forward<S: CellScalar>(_ layer: LayerParameters<S>, _ x: [S]) -> [S] {
        switch layer {
        case let .dense(p):
            let (I, O) = (p.shape.inputSize, p.shape.outputSize)
            return (0..<O).map { o in
                var z = p.values[O * I + o]
                for j in 0..<I { z += p.values[o * I + j] * x[j] }
                return z
            }
        case let .activation(p):
            switch p.shape.kind {
            case .identity: return x
            case .tanh: return x.map { S.tanh($0) }
            case .sigmoid: return x.map { 1 / (1 + S.exp(-$0)) }
            case .relu: return x.map { $0 > 0 ? $0 : 0 }
            case let .leakyReLU(slope): return x.map { $0 > 0 ? $0 : S(slope) * $0 }
            case let .elu(alpha): return x.map { $0 > 0 ? $0 : S(alpha) * (S.exp($0) - 1) }
            case .prelu: return x.indices.map { x[$0] > 0 ? x[$0] : p.values[$0] * x[$0] }
            case .softmax:
                let m = x.max()!
                let e = x.map { S.exp($0 - m) }
                let sum = e.reduce(0, +)
                return e.map { $0 / sum }
            }
        case .recurrent:
            fatalError("ReferencePointwise.forward: a recurrent layer")
        }
    }

    /// δx for one step from x, y and δy; adds the parameter gradient to `g` (the layer's canonical layout).
    static func backward<S: CellScalar>(_ layer: LayerParameters<S>, input x: [S], output y: [S], outputGradient dy: [S],
                                        parameterGradient g: inout [S]) -> [S] {
        switch layer {
        case let .dense(p):
            let (I, O) = (p.shape.inputSize, p.shape.outputSize)
            var dx = [S](repeating: 0, count: I)
            for o in 0..<O {
                for j in 0..<I {
                    g[o * I + j] += dy[o] * x[j]
                    dx[j] += p.values[o * I + j] * dy[o]
                }
                g[O * I + o] += dy[o]
            }
            return dx
        case let .activation(p):
            switch p.shape.kind {
            case .identity: return dy
            case .tanh: return dy.indices.map { dy[$0] * (1 - y[$0] * y[$0]) }
            case .sigmoid: return dy.indices.map { dy[$0] * y[$0] * (1 - y[$0]) }
            case .relu: return dy.indices.map { x[$0] > 0 ? dy[$0] : 0 }
            case let .leakyReLU(slope): return dy.indices.map { x[$0] > 0 ? dy[$0] : S(slope) * dy[$0] }
            case let .elu(alpha): return dy.indices.map { x[$0] > 0 ? dy[$0] : dy[$0] * S(alpha) * S.exp(x[$0]) }
            case .prelu:
                return dy.indices.map { i in
                    if x[i] > 0 { return dy[i] }
                    g[i] += dy[i] * x[i]
                    return p.values[i] * dy[i]
                }
            case .softmax:
                var dot: S = 0
                for i in y.indices { dot += dy[i] * y[i] }
                return y.indices.map { y[$0] * (dy[$0] - dot) }
            }
        case .recurrent:
            fatalError("ReferencePointwise.backward: a recurrent layer")
        }
    }
}
