import CellForge
import CellForgeKernels
import Testing

/// Truncated BPTT over a stream cut in two chunks. With the first chunk's final states carried
/// into the second, and the second chunk's initial-state gradients fed back as the first chunk's
/// final-state gradients, the two chunks give exactly (bit for bit) the outputs and final states
/// of the whole sequence, and, up to summation order (rounding only), the same summed parameter
/// gradient, δx and initial-state gradients, under the L2 loss (a sum, so it splits over chunks).
@Suite struct TruncatedBPTTTests {
    @Test func twoChunksEqualOneSequence() throws {
        let architecture = try ModelArchitecture(kind: .lstm, inputSize: 3, hiddenSizes: [5, 5], outputSize: 2, activation: .tanh)
        let (N, T, cut, D, O) = (3, 12, 5, 3, 2)
        let c = try ModelTestSupport.randomCase(architecture, lengths: Array(repeating: T, count: N), seed: 31, as: Double.self)
        let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 2, sequencesPerChunk: 1)
        let whole = try ModelTestSupport.outcome(driver, c.batch, initialStates: c.states, supervision: .l2(targets: c.targets))

        func part(_ from: Int, _ to: Int, _ per: Int, _ values: [Double]) -> [Double] {
            (0..<N).flatMap { n in values[((n * T + from) * per)..<((n * T + to) * per)] }
        }
        func chunk(_ from: Int, _ to: Int) throws -> SequenceBatch<Double> {
            try SequenceBatch(inputs: part(from, to, D, c.batch.inputs), lengths: Array(repeating: to - from, count: N), inputSize: D)
        }
        // Forward both chunks (the first one's final states are the second one's initial states),
        // then backward the second, then the first with the second's initial-state gradients.
        let first = try ModelTestSupport.outcome(driver, chunk(0, cut), initialStates: c.states,
                                                 supervision: .l2(targets: part(0, cut, O, c.targets)))
        let second = try ModelTestSupport.outcome(driver, chunk(cut, T), initialStates: first.finalStates,
                                                  supervision: .l2(targets: part(cut, T, O, c.targets)))
        let firstBack = try ModelTestSupport.outcome(driver, chunk(0, cut), initialStates: c.states,
                                                     supervision: .l2(targets: part(0, cut, O, c.targets)),
                                                     finalStateGradients: second.initialStateGradients)

        // Outputs and final states: bit for bit.
        let joined = interleave(first.outputs, cut * O, second.outputs, (T - cut) * O, N)
        #expect(joined.map(\.bitPattern) == whole.outputs.map(\.bitPattern))
        #expect(second.finalStates.map(\.bitPattern) == whole.finalStates.map(\.bitPattern))
        #expect(firstBack.loss + second.loss == whole.loss || abs(firstBack.loss + second.loss - whole.loss) <= 1e-14 * whole.loss)

        // Gradients: the same sums in another order, Double rounding (~1e-16 per add over a few
        // dozen terms): 1e-12 relative.
        let summed = zip(ModelTestSupport.flat(firstBack.gradient), ModelTestSupport.flat(second.gradient)).map { $0 + $1 }
        #expect(relativeError(summed, ModelTestSupport.flat(whole.gradient)) <= 1e-12)
        #expect(relativeError(firstBack.initialStateGradients, whole.initialStateGradients) <= 1e-12)
        let dx = interleave(firstBack.inputGradients, cut * D, second.inputGradients, (T - cut) * D, N)
        #expect(relativeError(dx, whole.inputGradients) <= 1e-12)
    }

    /// Sequence by sequence, a's n-th block of `m` values then b's n-th block of `k`.
    func interleave(_ a: [Double], _ m: Int, _ b: [Double], _ k: Int, _ count: Int) -> [Double] {
        var out: [Double] = []
        for n in 0..<count {
            out += a[(n * m)..<((n + 1) * m)]
            out += b[(n * k)..<((n + 1) * k)]
        }
        return out
    }
}
