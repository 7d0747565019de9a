/// The dense head's math on packed buffers, y_t = activation(V·h_t + c), shared by the model
/// driver and the streams. Runtime-sized plain loops over V [O × H] row-major then c [O]
/// (the canonical `DenseParameters` layout); the head is small next to the recurrent layers
/// (O·H multiply-adds per step against 4H·(D + H) for an LSTM layer).
public enum DenseHead {
    /// y_t = activation(V·h_t + c) for `steps` steps: h has H scalars per step, y O.
    @inlinable
    public static func forward<S: CellScalar>(_ shape: DenseHeadShape, parameters: UnsafePointer<S>,
                                              input h: UnsafePointer<S>, steps: Int, output y: UnsafeMutablePointer<S>) {
        let (H, O) = (shape.inputSize, shape.outputSize)
        let bias = parameters + O * H
        for t in 0..<steps {
            let ht = h + t * H, yt = y + t * O
            for o in 0..<O {
                // Four partial sums (element j into sum j mod 4, the bias into the first, then
                // (s0 + s1) + (s2 + s3)): a fixed order, so deterministic, and a quarter of the
                // chain of dependent adds of one running sum (the latency of a per-sample stream).
                let row = parameters + o * H
                var (s0, s1, s2, s3) = (bias[o], S(0), S(0), S(0))
                var j = 0
                while j + 4 <= H {
                    s0 += row[j] * ht[j]
                    s1 += row[j + 1] * ht[j + 1]
                    s2 += row[j + 2] * ht[j + 2]
                    s3 += row[j + 3] * ht[j + 3]
                    j += 4
                }
                while j < H {
                    s0 += row[j] * ht[j]
                    j += 1
                }
                yt[o] = activate((s0 + s1) + (s2 + s3), shape.activation)
            }
        }
    }

    /// Backward through `steps` steps of the head, given its inputs h, outputs y and Δy = ∂L/∂y:
    /// δz = Δy ⊙ activation′ (from y), adds δV += δz ⊗ h and δc += δz to `parameterGradient`
    /// (the head's O·(H + 1) scalars) and writes δh = Vᵀ·δz to `inputGradient` (H per step).
    @inlinable
    public static func backward<S: CellScalar>(_ shape: DenseHeadShape, parameters: UnsafePointer<S>,
                                               input h: UnsafePointer<S>, output y: UnsafePointer<S>,
                                               outputGradient dy: UnsafePointer<S>, steps: Int,
                                               inputGradient dh: UnsafeMutablePointer<S>,
                                               parameterGradient g: UnsafeMutablePointer<S>) {
        let (H, O) = (shape.inputSize, shape.outputSize)
        let biasGradient = g + O * H
        for t in 0..<steps {
            let ht = h + t * H, dht = dh + t * H
            dht.update(repeating: 0, count: H)
            for o in 0..<O {
                let dz = dy[t * O + o] * derivative(y[t * O + o], shape.activation)
                let row = parameters + o * H, gradientRow = g + o * H
                for j in 0..<H {
                    gradientRow[j] += dz * ht[j]
                    dht[j] += row[j] * dz
                }
                biasGradient[o] += dz
            }
        }
    }

    /// activation(z).
    @inlinable
    public static func activate<S: CellScalar>(_ z: S, _ activation: HeadActivation) -> S {
        switch activation {
        case .identity: z
        case .tanh: S.tanh(z)
        case .sigmoid: S.sigmoid(z)
        }
    }

    /// d activation / dz, written in terms of y = activation(z).
    @inlinable
    public static func derivative<S: CellScalar>(_ y: S, _ activation: HeadActivation) -> S {
        switch activation {
        case .identity: 1
        case .tanh: 1 - y * y
        case .sigmoid: y * (1 - y)
        }
    }
}
