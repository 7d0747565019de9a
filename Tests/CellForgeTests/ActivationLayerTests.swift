import CellForge
import Testing

/// Activation layers against central finite differences in Double, the plain reference forms,
/// the dense head's activation formulas, PyTorch's derivatives at 0, and themselves one
/// sequence at a time.
@Suite struct ActivationLayerTests {
    /// Every kind, the constants of leaky ReLU and ELU including a negative slope and a small alpha.
    static let kinds: [ActivationKind] = ActivationKind.plainKinds
        + [.leakyReLU(slope: 0.01), .leakyReLU(slope: -0.3), .elu(alpha: 1.0), .elu(alpha: 0.4)]

    /// PReLU slopes that differ per feature (one negative, one above 1).
    static func slopes<S: CellScalar>(_ shape: ActivationLayerShape) -> [S] {
        (0..<shape.parameterCount).map { S(0.3 * Double($0 % 4) - 0.2 + 0.05 * Double($0)) }
    }

    /// Central differences (five points, h = 1e-3; `TestSupport.centralDifference`) of
    /// L = Σ R·y against backward's δz and PReLU's slope gradient. Inputs are kept at |z| ≥ 0.05,
    /// 25 steps of h from the kink of ReLU, leaky ReLU, ELU and PReLU at 0 (whose one-sided
    /// derivatives differ, so a stencil straddling 0 would be off by O(1)). Away from the kink
    /// the formula's truncation error is h⁴·|f⁽⁵⁾|/30 ≈ 3e-14·|f⁽⁵⁾| (|f⁽⁵⁾| ≤ 17 for tanh,
    /// ≤ 1 for sigmoid, ≤ 1 for ELU's e^z, and bounded likewise for softmax) and its rounding
    /// error ≈ ε·Σ|R·y|/h ≈ 2e-16·15/1e-3 ≈ 3e-12: a relative error of 1e-7 (absolute 1e-11
    /// below the 1e-4 floor of `relativeError`) leaves three orders of margin.
    @Test(arguments: kinds) func backwardMatchesFiniteDifferences(_ kind: ActivationKind) throws {
        let shape = try ActivationLayerShape(kind: kind, size: 5)
        let run = LayerRun(ActivationLayer<Double>(shape: shape), count: 2, length: 3, inputPadding: 2, outputPadding: 1)
        var rng = SplitMix64(seed: 25)
        var x = run.randomInput(&rng) { ($0 < 0 ? -0.05 : 0.05) + 1.9 * $0 }   // 0.05 ≤ |z| < 1.95
        let R = run.randomOutputGradient(&rng)
        var p: [Double] = Self.slopes(shape)
        let y = run.forward(p, x)
        let (dx, g) = run.backward(p, x, y, R)
        func loss() -> Double { run.functional(run.forward(p, x), R) }

        for k in x.indices where run.isInput(k) {
            let n = TestSupport.centralDifference(loss) { x[k] += $0 }
            #expect(TestSupport.relativeError(dx![k], n) < 1e-7, "\(kind) δz[\(k)]: analytic \(dx![k]), numeric \(n)")
        }
        for i in p.indices {
            let n = TestSupport.centralDifference(loss) { p[i] += $0 }
            #expect(TestSupport.relativeError(g[i], n) < 1e-7, "\(kind) δa[\(i)]: analytic \(g[i]), numeric \(n)")
        }
        #expect(x.indices.filter { !run.isInput($0) }.allSatisfy { dx![$0] == LayerRun<ActivationLayer<Double>>.sentinel },
                "\(kind): δz written into the gaps between sequences")
    }

    /// Softmax's outputs are a distribution, and subtracting the maximum keeps large inputs finite.
    @Test func softmaxIsStableForLargeInputs() throws {
        let shape = try ActivationLayerShape(kind: .softmax, size: 3)
        let run = LayerRun(ActivationLayer<Float>(shape: shape), count: 1, length: 1)
        let y = run.forward([], [1000, 999, -1000])
        #expect(y.allSatisfy { $0.isFinite })
        #expect(abs(y.reduce(0, +) - 1) <= 2 * Float.ulpOfOne, "sum \(y.reduce(0, +))")
        #expect(abs(y[0] / y[1] - Float.exp(1)) < 1e-5)
    }

    /// The derivatives at z = 0 are PyTorch's: ReLU 0, leaky ReLU its slope, ELU alpha, PReLU the
    /// feature's slope (and a slope gradient of δy·0 = 0); the values there are 0.
    @Test func derivativesAtZeroAreTheNegativeBranch() throws {
        let cases: [(ActivationKind, [Double])] = [
            (.relu, [0, 0, 0]), (.leakyReLU(slope: 0.01), [0.01, 0.01, 0.01]),
            (.elu(alpha: 0.7), [0.7, 0.7, 0.7]), (.prelu, [0.5, -0.25, 2]),
        ]
        for (kind, expected) in cases {
            let shape = try ActivationLayerShape(kind: kind, size: 3)
            let run = LayerRun(ActivationLayer<Double>(shape: shape), count: 1, length: 1)
            let p: [Double] = kind == .prelu ? [0.5, -0.25, 2] : []
            let y = run.forward(p, [0, 0, 0])
            #expect(y == [0, 0, 0], "\(kind) at 0: \(y)")
            let (dx, g) = run.backward(p, [0, 0, 0], y, [1, 1, 1])
            #expect(dx! == expected, "\(kind)′(0): \(dx!), expected \(expected)")
            #expect(g.allSatisfy { $0 == 0 }, "\(kind) slope gradient at 0: \(g)")
        }
    }

    /// Identity, tanh and sigmoid are, bit for bit, the dense head's: y = z, `S.tanh`,
    /// `S.sigmoid`, and δz = δy, δy·(1 − y²), δy·(y·(1 − y)).
    @Test func headActivationsAreBitExact() throws {
        var rng = SplitMix64(seed: 7)
        let z: [Float] = (0..<64).map { _ in 6 * rng.nextSigned(Float.self) }
        let dy: [Float] = (0..<64).map { _ in rng.nextSigned(Float.self) }
        let forms: [(ActivationKind, (Float) -> Float, (Float, Float) -> Float)] = [
            (.identity, { $0 }, { d, _ in d }),
            (.tanh, { Float.tanh($0) }, { d, y in d * (1 - y * y) }),
            (.sigmoid, { Float.sigmoid($0) }, { d, y in d * (y * (1 - y)) }),
        ]
        for (kind, f, df) in forms {
            let run = LayerRun(ActivationLayer<Float>(shape: try ActivationLayerShape(kind: kind, size: 16)), count: 2, length: 2)
            let y = run.forward([], z)
            #expect(sameBits(y, z.map(f)), "\(kind) forward")
            let (dz, _) = run.backward([], z, y, dy)
            #expect(sameBits(dz!, zip(dy, y).map(df)), "\(kind) backward")
        }
    }

    /// The layer equals `ReferenceLayers.activation` bit for bit (the same formulas, summed in the
    /// same order for softmax), in Float and Double.
    @Test(arguments: kinds) func forwardMatchesReference(_ kind: ActivationKind) throws {
        try checkReference(kind, Float.self)
        try checkReference(kind, Double.self)
    }

    func checkReference<S: CellScalar>(_ kind: ActivationKind, _: S.Type) throws {
        let shape = try ActivationLayerShape(kind: kind, size: 7)
        let run = LayerRun(ActivationLayer<S>(shape: shape), count: 3, length: 2)
        var rng = SplitMix64(seed: 11)
        let x = run.randomInput(&rng) { 3 * $0 }
        let p: [S] = Self.slopes(shape)
        let y = run.forward(p, x)
        let steps = (0..<(run.count * run.length)).map { Array(x[($0 * 7)..<($0 * 7 + 7)]) }
        let expected = try ReferenceLayers.activation(shape, parameters: p, inputs: steps).flatMap { $0 }
        #expect(sameBits(y, expected), "\(kind) \(S.typeName): layer \(y), reference \(expected)")
    }

    /// A batch gives the same bits as its sequences one at a time (outputs, δz, slope gradient),
    /// and without δz the slope gradient is unchanged; the gaps between sequences stay untouched.
    @Test(arguments: kinds) func batchedEqualsOneAtATime(_ kind: ActivationKind) throws {
        let shape = try ActivationLayerShape(kind: kind, size: 9)
        let run = LayerRun(ActivationLayer<Float>(shape: shape), count: 4, length: 5, inputPadding: 3, outputPadding: 2)
        var rng = SplitMix64(seed: 3)
        let x = run.randomInput(&rng) { 2 * $0 }
        let dy = run.randomOutputGradient(&rng)
        let p: [Float] = Self.slopes(shape)
        let y = run.forward(p, x)
        #expect(sameBits(y, run.forwardOneAtATime(p, x)))
        let start = p.map { $0 / 3 }
        let batched = run.backward(p, x, y, dy, gradient: start)
        let single = run.backward(p, x, y, dy, gradient: start, oneAtATime: true)
        let noInput = run.backward(p, x, y, dy, gradient: start, inputGradient: false)
        #expect(sameBits(batched.dx!, single.dx!))
        #expect(sameBits(batched.g, single.g) && sameBits(batched.g, noInput.g))
        #expect(kind != .prelu || batched.g != start, "prelu slope gradient not added")
        #expect(y.indices.filter { $0 % run.outputStride >= run.length * 9 }.allSatisfy { y[$0] == LayerRun<ActivationLayer<Float>>.sentinel })
    }

    /// Shape, parameter count and the PyTorch initial slopes.
    @Test func parametersAndShape() throws {
        let shape = try ActivationLayerShape(kind: .prelu, size: 4)
        let layer = ActivationLayer<Float>(shape: shape)
        #expect(layer.shape == .activation(shape) && layer.parameterStorageCount == 4 && layer.stateSize == 0)
        #expect(layer.interleave == 1 && layer.tapeCount(length: 10) == 0)
        #expect(ActivationParameters<Float>(shape: shape).values == [0, 0, 0, 0])
        let initial = ActivationParameters<Float>.random(shape: shape, seed: 1)
        #expect(initial.values == [0.25, 0.25, 0.25, 0.25])
        #expect(initial.converted(to: Double.self).values == [0.25, 0.25, 0.25, 0.25])
        let tanh = try ActivationLayerShape(kind: .tanh, size: 4)
        #expect(ActivationLayer<Double>(shape: tanh).parameterStorageCount == 0)
        #expect(ActivationParameters<Double>.random(shape: tanh, seed: 1).values.isEmpty)
        #expect(try ActivationParameters<Float>(shape: shape, values: [1, 2, 3, 4]).values == [1, 2, 3, 4])
    }
}
