import CellForge

/// A layer run on a batch held in arrays: `count` sequences of `length` steps at strides
/// `inputStride` and `outputStride` (at least length × size; the gaps are filled with a
/// sentinel that must survive).
struct LayerRun<L: ModelLayer> {
    typealias S = L.Scalar
    let layer: L, count: Int, length: Int, inputStride: Int, outputStride: Int
    static var sentinel: S { -12345 }

    init(_ layer: L, count: Int, length: Int, inputPadding: Int = 0, outputPadding: Int = 0) {
        self.layer = layer
        self.count = count
        self.length = length
        inputStride = length * layer.shape.inputSize + inputPadding
        outputStride = length * layer.shape.outputSize + outputPadding
    }

    var inputCount: Int { count * inputStride }
    var outputCount: Int { count * outputStride }

    /// Random inputs in [−1, 1) (sentinel in the gaps); `transform` maps each valid value.
    func randomInput(_ rng: inout SplitMix64, _ transform: (S) -> S = { $0 }) -> [S] {
        fill(inputCount, stride: inputStride, valid: length * layer.shape.inputSize) { transform(rng.nextSigned(S.self)) }
    }

    /// Random output gradients in [−1, 1) (sentinel in the gaps).
    func randomOutputGradient(_ rng: inout SplitMix64) -> [S] {
        fill(outputCount, stride: outputStride, valid: length * layer.shape.outputSize) { rng.nextSigned(S.self) }
    }

    func fill(_ n: Int, stride: Int, valid: Int, _ value: () -> S) -> [S] {
        (0..<n).map { $0 % stride < valid ? value() : Self.sentinel }
    }

    /// Forward: the outputs (sentinel in the gaps).
    func forward(_ p: [S], _ x: [S]) -> [S] {
        var y = [S](repeating: Self.sentinel, count: outputCount)
        p.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            let batch = KernelBatch(count: count, length: length, input: xp.baseAddress!, inputStride: inputStride,
                                    state: nil, stateStride: 0, output: yp.baseAddress!, outputStride: outputStride)
            layer.forward(parameters: pp.baseAddress ?? UnsafePointer(bitPattern: 8)!, batch: batch)
        } } }
        return y
    }

    /// Backward after forward: δx (sentinel in the gaps; nil unless `inputGradient`) and the
    /// parameter gradient added to `gradient`. `oneAtATime` runs the sequences one by one.
    func backward(_ p: [S], _ x: [S], _ y: [S], _ dy: [S], gradient: [S]? = nil, inputGradient: Bool = true,
                  oneAtATime: Bool = false) -> (dx: [S]?, g: [S]) {
        var dx = [S](repeating: Self.sentinel, count: inputCount)
        var g = gradient ?? [S](repeating: 0, count: layer.parameterStorageCount)
        p.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in
            dy.withUnsafeBufferPointer { dyp in dx.withUnsafeMutableBufferPointer { dxp in g.withUnsafeMutableBufferPointer { gp in
                let batch = KernelBatch(count: count, length: length, input: xp.baseAddress!, inputStride: inputStride,
                                        state: nil, stateStride: 0, output: UnsafeMutablePointer(mutating: yp.baseAddress!),
                                        outputStride: outputStride, outputGradient: dyp.baseAddress!,
                                        inputGradient: inputGradient ? dxp.baseAddress! : nil)
                let params = pp.baseAddress ?? UnsafePointer(bitPattern: 8)!
                let grad = gp.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!
                if oneAtATime {
                    for b in 0..<count { layer.backward(parameters: params, batch: batch.sequence(b), parameterGradient: grad) }
                } else {
                    layer.backward(parameters: params, batch: batch, parameterGradient: grad)
                }
            } } }
        } } }
        return (inputGradient ? dx : nil, g)
    }

    /// Forward one sequence at a time.
    func forwardOneAtATime(_ p: [S], _ x: [S]) -> [S] {
        var y = [S](repeating: Self.sentinel, count: outputCount)
        p.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            let batch = KernelBatch(count: count, length: length, input: xp.baseAddress!, inputStride: inputStride,
                                    state: nil, stateStride: 0, output: yp.baseAddress!, outputStride: outputStride)
            for b in 0..<count { layer.forward(parameters: pp.baseAddress ?? UnsafePointer(bitPattern: 8)!, batch: batch.sequence(b)) }
        } } }
        return y
    }

    /// Σ R·y over the valid outputs: the functional whose gradient backward computes given δy = R.
    func functional(_ y: [S], _ R: [S]) -> Double {
        var L = 0.0
        for k in y.indices where k % outputStride < length * layer.shape.outputSize { L += Double(y[k]) * Double(R[k]) }
        return L
    }

    /// Whether index k of an input-shaped buffer is a valid position (not a gap).
    func isInput(_ k: Int) -> Bool { k % inputStride < length * layer.shape.inputSize }
}

/// Bitwise equality of two arrays (NaN payloads included).
func sameBits<S: CellScalar>(_ a: [S], _ b: [S]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.layerTestBits == $1.layerTestBits }
}

extension CellScalar {
    /// The value's bits (Float's widened), for bitwise comparisons in generic tests.
    var layerTestBits: UInt64 {
        if let f = self as? Float { UInt64(f.bitPattern) } else { (self as! Double).bitPattern }
    }
}
