import CellForge
import Testing

/// Dense layers against central finite differences in Double, the plain reference form (within
/// a rounding-error bound, and exactly where every order of summation is exact), and themselves
/// one sequence at a time.
@Suite struct DenseLayerTests {
    /// (I, O): I below, at and above the vector width with and without a tail; O covering the
    /// blocks of four rows and the rows after them.
    static let sizes: [(Int, Int)] = [(1, 1), (3, 2), (7, 3), (8, 1), (9, 5), (16, 4), (13, 6), (33, 9), (64, 64), (128, 128)]

    struct Size: CustomTestStringConvertible, Sendable {
        let I: Int, O: Int
        var testDescription: String { "I\(I) O\(O)" }
    }

    static let cases = sizes.map { Size(I: $0.0, O: $0.1) }

    static func parameters<S: CellScalar>(_ shape: DenseLayerShape, _ rng: inout SplitMix64) -> [S] {
        (0..<shape.parameterCount).map { _ in rng.nextSigned(S.self) }
    }

    /// Central differences (five points, h = 1e-3) of L = Σ R·y against backward's δW, δb and δx.
    /// The layer is affine in each of them, so the formula has no truncation error; its rounding
    /// error is about ε·Σ|R·y|/h ≤ 2e-16·200/1e-3 ≈ 4e-11 absolute here, and the 1e-7 relative
    /// bound (1e-11 absolute below `relativeError`'s floor of 1e-4) holds with margin.
    @Test(arguments: cases.prefix(7)) func backwardMatchesFiniteDifferences(_ c: Size) throws {
        let shape = try DenseLayerShape(inputSize: c.I, outputSize: c.O)
        let run = LayerRun(DenseLayer<Double>(shape: shape), count: 2, length: 3, inputPadding: 1, outputPadding: 2)
        var rng = SplitMix64(seed: UInt64(c.I * 100 + c.O))
        var p: [Double] = Self.parameters(shape, &rng)
        var x = run.randomInput(&rng)
        let R = run.randomOutputGradient(&rng)
        let (dx, g) = run.backward(p, x, run.forward(p, x), R)
        func loss() -> Double { run.functional(run.forward(p, x), R) }
        for k in p.indices {
            let n = TestSupport.centralDifference(loss) { p[k] += $0 }
            let what = k < c.O * c.I ? "δW[\(k / c.I), \(k % c.I)]" : "δb[\(k - c.O * c.I)]"
            #expect(TestSupport.relativeError(g[k], n) < 1e-7, "\(c.testDescription) \(what): analytic \(g[k]), numeric \(n)")
        }
        for k in x.indices where run.isInput(k) {
            let n = TestSupport.centralDifference(loss) { x[k] += $0 }
            #expect(TestSupport.relativeError(dx![k], n) < 1e-7, "\(c.testDescription) δx[\(k)]: analytic \(dx![k]), numeric \(n)")
        }
        #expect(x.indices.filter { !run.isInput($0) }.allSatisfy { dx![$0] == LayerRun<DenseLayer<Double>>.sentinel })
    }

    /// The SIMD forward against `ReferenceLayers.dense`. Both sum I + 1 terms in some order, so
    /// each is within γ_(I+1)·(|b_o| + Σ_j |w_oj·x_j|) of the exact value (γ_n = n·u / (1 − n·u),
    /// u = ε/2; fused or not), and they differ by at most twice that.
    @Test(arguments: cases) func forwardMatchesReferenceWithinRoundingBound(_ c: Size) throws {
        try checkBound(c, Float.self)
        try checkBound(c, Double.self)
    }

    func checkBound<S: CellScalar>(_ c: Size, _: S.Type) throws {
        let shape = try DenseLayerShape(inputSize: c.I, outputSize: c.O)
        let run = LayerRun(DenseLayer<S>(shape: shape), count: 2, length: 2)
        var rng = SplitMix64(seed: UInt64(c.I * 7 + c.O))
        let p: [S] = Self.parameters(shape, &rng)
        let x = run.randomInput(&rng)
        let y = run.forward(p, x)
        let u = Double(S.ulpOfOne) / 2, n = Double(c.I + 1), gamma = n * u / (1 - n * u)
        for s in 0..<(run.count * run.length) {
            let xs = Array(x[(s * c.I)..<((s + 1) * c.I)])
            let expected = try ReferenceLayers.dense(shape, parameters: p, input: xs)
            for o in 0..<c.O {
                var magnitude = abs(Double(p[c.O * c.I + o]))
                for j in 0..<c.I { magnitude += abs(Double(p[o * c.I + j]) * Double(xs[j])) }
                let error = abs(Double(y[s * c.O + o]) - Double(expected[o]))
                #expect(error <= 2 * gamma * magnitude, "\(c.testDescription) \(S.typeName) step \(s) y[\(o)]: |Δ| \(error) > \(2 * gamma * magnitude)")
            }
        }
    }

    /// With weights, biases and inputs multiples of 1/16 in [−1, 1], every product is a multiple
    /// of 1/256 and every partial sum one of magnitude ≤ 129: at most 16 significant bits, exact
    /// in Float and Double whatever the order. So the SIMD forward and the reference agree bit
    /// for bit, and backward's gradient is added exactly to a start that is also such a multiple.
    @Test(arguments: cases) func exactWhenEveryOrderIsExact(_ c: Size) throws {
        try checkExact(c, Float.self)
        try checkExact(c, Double.self)
    }

    func checkExact<S: CellScalar>(_ c: Size, _: S.Type) throws {
        let shape = try DenseLayerShape(inputSize: c.I, outputSize: c.O)
        let run = LayerRun(DenseLayer<S>(shape: shape), count: 1, length: 2)
        var rng = SplitMix64(seed: 5)
        func dyadic() -> S { S((rng.next() % 33)) / 16 - 1 }
        let p = (0..<shape.parameterCount).map { _ in dyadic() }
        let x = (0..<run.inputCount).map { _ in dyadic() }
        let y = run.forward(p, x)
        let expected = try ReferenceLayers.dense(shape, parameters: p, inputs: [Array(x[..<c.I]), Array(x[c.I...])]).flatMap { $0 }
        #expect(sameBits(y, expected), "\(c.testDescription) \(S.typeName): \(y) against \(expected)")
        // Sums of two steps of products of multiples of 1/16 (|δy| ≤ 1), plus a start: exact.
        let dy = (0..<run.outputCount).map { _ in dyadic() }
        let start = (0..<shape.parameterCount).map { _ in dyadic() }
        let fromZero = run.backward(p, x, y, dy).g, fromStart = run.backward(p, x, y, dy, gradient: start).g
        #expect(sameBits(fromStart, zip(start, fromZero).map { $0 + $1 }), "\(c.testDescription) \(S.typeName): gradient not added")
    }

    /// A batch gives the same bits as its sequences one at a time: outputs, δx and the parameter
    /// gradient (added to a non-zero start), in Float with rounding; without δx the parameter
    /// gradient is unchanged; the gaps between sequences stay untouched.
    @Test(arguments: cases) func batchedEqualsOneAtATime(_ c: Size) throws {
        let shape = try DenseLayerShape(inputSize: c.I, outputSize: c.O)
        let run = LayerRun(DenseLayer<Float>(shape: shape), count: 3, length: 4, inputPadding: 5, outputPadding: 3)
        var rng = SplitMix64(seed: 9)
        let p: [Float] = Self.parameters(shape, &rng)
        let x = run.randomInput(&rng), dy = run.randomOutputGradient(&rng)
        let y = run.forward(p, x)
        #expect(sameBits(y, run.forwardOneAtATime(p, x)))
        #expect(y.indices.filter { $0 % run.outputStride >= run.length * c.O }.allSatisfy { y[$0] == LayerRun<DenseLayer<Float>>.sentinel })
        let start = p.map { $0 / 7 }
        let batched = run.backward(p, x, y, dy, gradient: start)
        let single = run.backward(p, x, y, dy, gradient: start, oneAtATime: true)
        let noInput = run.backward(p, x, y, dy, gradient: start, inputGradient: false)
        #expect(sameBits(batched.dx!, single.dx!))
        #expect(sameBits(batched.g, single.g) && sameBits(batched.g, noInput.g))
        #expect(x.indices.filter { !run.isInput($0) }.allSatisfy { batched.dx![$0] == LayerRun<DenseLayer<Float>>.sentinel })
    }

    /// Shape and storage: O·(I + 1) scalars, no state, no tape.
    @Test func storageAndShape() throws {
        let shape = try DenseLayerShape(inputSize: 5, outputSize: 3)
        let layer = DenseLayer<Float>(shape: shape)
        #expect(layer.shape == .dense(shape) && layer.parameterStorageCount == 18)
        #expect(layer.stateSize == 0 && layer.interleave == 1 && layer.tapeCount(length: 7) == 0)
    }
}
