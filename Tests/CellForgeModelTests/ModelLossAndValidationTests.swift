import CellForge
import CellForgeKernels
import Testing

/// A loss given through `ModelLoss` against the built-in one it re-implements, finite
/// differences on the Double kernel model itself, and refusals of bad shapes.
@Suite struct ModelLossAndValidationTests {
    /// ½‖y − t‖² per sequence, written as a user would.
    struct HalfSquares: ModelLoss {
        let targets: [Double]
        let offsets: [Int]
        func evaluate(sequence: Int, outputs: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
            var sum = 0.0
            for k in outputs.indices {
                let d = outputs[k] - targets[offsets[sequence] + k]
                gradient[k] = d
                sum += d * d / 2
            }
            return sum
        }
    }

    static let architecture = try! ModelArchitecture(kind: .lstm, inputSize: 3, hiddenSizes: [5, 5], outputSize: 2, activation: .tanh)

    /// The custom loss writes the same Δ as the built-in L2, so the gradient is the same bit for bit;
    /// the loss is summed in another order (per sequence first): equal to 1e-13.
    @Test func customLossEqualsBuiltIn() throws {
        let c = try ModelTestSupport.randomCase(Self.architecture, lengths: [4, 6, 6, 0, 2], seed: 51, as: Double.self)
        let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 2, sequencesPerChunk: 2)
        let builtIn = try driver.gradient(c.batch, initialStates: c.states, supervision: .l2(targets: c.targets))
        let loss = HalfSquares(targets: c.targets, offsets: c.batch.stepOffsets.map { $0 * 2 })
        let custom = try driver.gradient(c.batch, initialStates: c.states, supervision: .loss(loss))
        #expect(ModelTestSupport.flat(custom.gradient).map(\.bitPattern) == ModelTestSupport.flat(builtIn.gradient).map(\.bitPattern))
        #expect(abs(custom.loss - builtIn.loss) <= 1e-13 * builtIn.loss)
    }

    /// The Double kernel model's gradient (every parameter, x and initial states) against central
    /// differences of its own MSE loss, step 1e-6: error ~1e-10 relative (see ReferenceModelGradientTests).
    @Test func doubleKernelModelMatchesFiniteDifferences() throws {
        let c = try ModelTestSupport.randomCase(Self.architecture, lengths: [5, 3], seed: 52, as: Double.self)
        let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 1)
        let supervision = ModelSupervision<Double>.meanSquaredError(targets: c.targets)
        let analytic = try ModelTestSupport.outcome(driver, c.batch, initialStates: c.states, supervision: supervision)
        let step = 1e-6
        let flat = ModelTestSupport.flat(c.parameters)
        func loss(parameters: [Double]? = nil, inputs: [Double]? = nil, states: [Double]? = nil) throws -> Double {
            try driver.setParameters(ReferenceModelGradientTests.unflatten(parameters ?? flat, like: c.parameters))
            let batch = try SequenceBatch(inputs: inputs ?? c.batch.inputs, lengths: c.batch.lengths, inputSize: 3)
            return try driver.gradient(batch, initialStates: states ?? c.states, supervision: supervision).loss
        }
        func difference(_ values: [Double], _ k: Int, _ f: ([Double]) throws -> Double) rethrows -> Double {
            var up = values, down = values
            up[k] += step
            down[k] -= step
            return (try f(up) - f(down)) / (2 * step)
        }
        let dp = try flat.indices.map { k in try difference(flat, k) { try loss(parameters: $0) } }
        #expect(relativeError(ModelTestSupport.flat(analytic.gradient), dp) <= 1e-6)
        let dx = try c.batch.inputs.indices.map { k in try difference(c.batch.inputs, k) { try loss(inputs: $0) } }
        #expect(relativeError(analytic.inputGradients, dx) <= 1e-6)
        let ds = try c.states.indices.map { k in try difference(c.states, k) { try loss(states: $0) } }
        #expect(relativeError(analytic.initialStateGradients, ds) <= 1e-6)
    }

    /// Buffers of the wrong size are refused before anything runs, naming the buffer, and the
    /// parameters and optimizer stay as they were.
    @Test func badShapesAreRefused() throws {
        let c = try ModelTestSupport.randomCase(Self.architecture, lengths: [4, 6], seed: 53, as: Double.self)
        let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 1)
        var adam = try Adam<Double>(learningRate: 0.1)
        #expect(throws: CellForgeError.shapeMismatch(name: "targets", expected: "20 values (2 × 10 steps)", actual: "19")) {
            _ = try driver.train(c.batch, supervision: .meanSquaredError(targets: Array(c.targets.dropLast())), optimizer: &adam)
        }
        var small = [Double](repeating: 0, count: 3)
        #expect(throws: CellForgeError.self) {
            try small.withUnsafeMutableBufferPointer { b in
                _ = try driver.train(c.batch, supervision: .l2(targets: c.targets), optimizer: &adam,
                                     buffers: ModelStepBuffers(initialStateGradients: b))
            }
        }
        #expect(throws: CellForgeError.self) {
            _ = try ModelDriver(parameters: c.parameters, layers: [KernelLayer(LSTM_H5_D3_Double())])
        }
        #expect(driver.parameters == c.parameters)
        #expect(adam.state.stepCount == 0)
    }
}
