extension ReferenceLayers {
    /// The layer's output for one step through `dense` or `activation` (a contract: `layer` is
    /// not recurrent; its sizes are the parameters' own).
    static func forward<S: CellScalar>(_ layer: LayerParameters<S>, _ x: [S]) throws -> [S] {
        switch layer {
        case let .dense(p): try dense(p.shape, parameters: p.values, input: x)
        case let .activation(p): try activation(p.shape, parameters: p.values, input: x)
        case .recurrent: fatalError("ReferenceLayers.forward: a recurrent layer")
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
            fatalError("ReferenceLayers.backward: a recurrent layer")
        }
    }
}
