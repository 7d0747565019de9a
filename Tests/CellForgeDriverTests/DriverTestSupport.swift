import CellForge

/// Random batches and a serial, array-based reference for the driver tests.
enum DriverTestSupport {
    /// A random case: parameters, a batch with the given lengths, initial states and targets.
    struct Case<S: CellScalar> {
        var parameters: CellParameters<S>
        var batch: SequenceBatch<S>
        var initialStates: [S]
        var targets: [S]
    }

    /// Parameters in [−0.6, 0.6], inputs and initial states in [−1, 1), targets in [−0.5, 0.5).
    static func randomCase<S: CellScalar>(_ kind: CellKind, hidden H: Int, input D: Int, lengths: [Int],
                                          seed: UInt64, as _: S.Type = S.self) throws -> Case<S> {
        var rng = SplitMix64(seed: seed)
        let steps = lengths.reduce(0, +)
        let p = try CellParameters<S>.random(kind: kind, hiddenSize: H, inputSize: D, scale: 0.6, seed: seed)
        let x = (0..<(steps * D)).map { _ in rng.nextSigned(S.self) }
        let h0 = (0..<(lengths.count * H * kind.stateVectorCount)).map { _ in rng.nextSigned(S.self) }
        let y = (0..<(steps * H)).map { _ in rng.nextSigned(S.self) / 2 }
        return Case(parameters: p, batch: try SequenceBatch(inputs: x, lengths: lengths, inputSize: D),
                    initialStates: h0, targets: y)
    }

    /// What the reference cells give, one sequence after another, in Double.
    struct Serial {
        var loss = 0.0
        var gradient: CellParameters<Double>
        var outputs: [Double] = []
        var finalStates: [Double] = []
        /// δx_t, laid out like the inputs (zeros for length-0 sequences, which have none).
        var inputGradients: [Double] = []
    }

    /// Runs every sequence of `c` through the Double reference cell with the L2 loss, serially.
    static func serialReference<S: CellScalar>(_ c: Case<S>) throws -> Serial {
        let p = c.parameters.converted(to: Double.self)
        let (H, D, kind) = (p.hiddenSize, p.inputSize, p.kind)
        let S = H * kind.stateVectorCount
        let cell: any ReferenceCell<Double> = switch kind {
        case .lstm: try ReferenceLSTM(parameters: p)
        case .rnn, .rnnReLU: try ReferenceRNN(parameters: p)
        case .gru: try ReferenceGRU(parameters: p)
        }
        let x = c.batch.inputs.map(Double.init), y = c.targets.map(Double.init), h0 = c.initialStates.map(Double.init)
        var result = Serial(gradient: try CellParameters(kind: kind, hiddenSize: H, inputSize: D))
        for (n, length) in c.batch.lengths.enumerated() {
            let state = Array(h0[(n * S)..<((n + 1) * S)])
            guard length > 0 else { result.finalStates += state; continue }
            let first = c.batch.stepOffsets[n]
            let xs = (0..<length).map { Array(x[((first + $0) * D)..<((first + $0 + 1) * D)]) }
            let ys = (0..<length).map { Array(y[((first + $0) * H)..<((first + $0 + 1) * H)]) }
            let trace = try cell.forward(xs, initialHidden: Array(state[0..<H]),
                                         initialCell: kind == .lstm ? Array(state[H...]) : nil)
            result.loss += try L2Loss.value(outputs: trace.hidden, targets: ys)
            let g = try cell.backward(trace, outputGradients: try L2Loss.gradient(outputs: trace.hidden, targets: ys))
            for k in g.parameters.values.indices { result.gradient.values[k] += g.parameters.values[k] }
            result.outputs += trace.hidden.flatMap { $0 }
            result.finalStates += trace.finalHidden + trace.finalCell
            result.inputGradients += g.inputs.flatMap { $0 }
        }
        return result
    }

    /// Largest |a − b| relative to the largest |b| (1 if b is all zeros).
    static func relativeError<S: CellScalar>(_ a: [S], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "relativeError: counts differ")
        let scale = max(b.map(abs).max() ?? 0, 1e-300)
        let worst = zip(a, b).map { abs(Double($0) - $1) }.max() ?? 0
        return a.contains { !$0.isFinite } ? .infinity : worst / (scale > 1e-300 ? scale : 1)
    }

    /// The one-layer model (no head) holding the cell parameters `p`.
    static func model<S: CellScalar>(_ p: CellParameters<S>) throws -> ModelParameters<S> {
        try ModelParameters(architecture: ModelArchitecture(kind: p.kind, inputSize: p.inputSize, hiddenSizes: [p.hiddenSize]),
                            layers: [.recurrent(p)])
    }

    /// The driver's parameter storage, as raw bit patterns (for bit-identity checks).
    static func storageBits<K: RecurrentKernel>(_ driver: BatchDriver<K>) -> [UInt64] {
        driver.withParameterStorage { bits(Array($0)) }
    }

    /// Raw bit patterns of scalars, so that comparisons are exact (NaN included).
    static func bits<S: CellScalar>(_ values: [S]) -> [UInt64] {
        values.map { v in
            withUnsafeBytes(of: v) { raw in raw.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) } }
        }
    }
}
