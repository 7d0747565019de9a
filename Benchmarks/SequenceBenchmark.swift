import CellForge

/// Single-sequence timings of one kernel against the reference cell on the same data:
/// seconds per time step for forward only (inference, no tape) and forward + backward.
struct SequenceBenchmark {
    let length: Int
    let repetitions: Int

    struct Result {
        var forward: Timing
        var training: Timing
        var referenceForward: Timing
        var referenceTraining: Timing
    }

    func run<K: RecurrentKernel>(_ kernel: K) throws -> Result {
        typealias S = K.Scalar
        let (H, D, T) = (kernel.hiddenSize, kernel.inputSize, length)
        var rng = SplitMix64(seed: 1)
        let p = try CellParameters<S>.random(kind: kernel.kind, hiddenSize: H, inputSize: D, seed: 2)
        var w = [S](repeating: 0, count: kernel.parameterStorageCount)
        w.withUnsafeMutableBufferPointer { kernel.pack(p, into: $0) }
        let x: [S] = (0..<T * D).map { _ in rng.nextSigned() }
        let dy: [S] = (0..<T * H).map { _ in rng.nextSigned() }
        var state = [S](repeating: 0, count: kernel.stateSize), out = [S](repeating: 0, count: T * H)
        var tape = [S](repeating: 0, count: kernel.tapeCount(length: T))
        var dx = [S](repeating: 0, count: T * D), d0 = state, g = w

        let forward = Timing.measure(repetitions: repetitions, units: Double(T)) {
            kernel.forward(parameters: w, input: x, length: T, state: &state, output: &out, tape: nil)
        }
        let training = Timing.measure(repetitions: repetitions, units: Double(T)) {
            kernel.forward(parameters: w, input: x, length: T, state: &state, output: &out, tape: &tape)
            kernel.backward(parameters: w, input: x, length: T, tape: &tape, outputGradient: dy, finalStateGradient: nil,
                            inputGradient: &dx, initialStateGradient: &d0, parameterGradient: &g)
        }
        sink += Double(out[0] + g[0] + dx[0])

        let xs = (0..<T).map { Array(x[$0 * D..<($0 + 1) * D]) }, dys = (0..<T).map { Array(dy[$0 * H..<($0 + 1) * H]) }
        // Call the reference with a concrete scalar type so its Float/Double specialisations run.
        let (referenceForward, referenceTraining) = if let p = p as? CellParameters<Float> {
            try referenceTimings(p, xs as! [[Float]], dys as! [[Float]])
        } else {
            try referenceTimings(p as! CellParameters<Double>, xs as! [[Double]], dys as! [[Double]])
        }
        return Result(forward: forward, training: training, referenceForward: referenceForward, referenceTraining: referenceTraining)
    }

    /// Per-step timings of the reference cell's forward and forward + backward.
    func referenceTimings<S: CellScalar>(_ p: CellParameters<S>, _ xs: [[S]], _ dys: [[S]]) throws -> (Timing, Timing) {
        switch p.kind {
        case .lstm: try referenceTimings(ReferenceLSTM(parameters: p), xs, dys)
        case .rnn: try referenceTimings(ReferenceRNN(parameters: p), xs, dys)
        case .gru: try referenceTimings(ReferenceGRU(parameters: p), xs, dys)
        }
    }

    @inline(__always)
    func referenceTimings<C: ReferenceCell>(_ cell: C, _ xs: [[C.Scalar]], _ dys: [[C.Scalar]]) throws -> (Timing, Timing) {
        let repetitions = max(3, self.repetitions / 5), steps = Double(xs.count)
        let forward = Timing.measure(repetitions: repetitions, units: steps) {
            sink += Double((try? cell.forward(xs))?.finalHidden[0] ?? 0)
        }
        let training = Timing.measure(repetitions: repetitions, units: steps) {
            guard let trace = try? cell.forward(xs), let grads = try? cell.backward(trace, outputGradients: dys) else { return }
            sink += Double(grads.parameters.values[0])
        }
        return (forward, training)
    }
}
