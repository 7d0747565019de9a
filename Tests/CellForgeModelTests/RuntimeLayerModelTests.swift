import CellForge
import CellForgeKernels
import Testing

/// Models whose layer sizes have no generated kernel in the registry run those layers on the
/// run-time kernel, and still agree with the Double reference model: training (loss, every
/// gradient, δx, initial-state gradients), batched inference and sample-by-sample streaming.
@Suite struct RuntimeLayerModelTests {
    /// Float, every layer run-time (tolerance as for generated kernels: see `KernelModelAgreementTests`).
    @Test func floatLSTM21x7TrainsLikeReference() throws {
        let architecture = try ModelArchitecture(kind: .lstm, inputSize: 3, hiddenSizes: [21, 7], outputSize: 2)
        #expect(architecture.specialisation(in: GeneratedKernels.self, scalar: .float).map(\.isGenerated) == [false, false])
        try KernelModelAgreementTests().agree(architecture, Float.self, tolerance: 1e-5)
    }

    /// Float, a generated layer under a run-time one.
    @Test func floatMixedGeneratedAndRunTimeTrainsLikeReference() throws {
        let architecture = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 13], outputSize: 1)
        #expect(architecture.specialisation(in: GeneratedKernels.self, scalar: .float).map(\.isGenerated) == [true, false])
        try KernelModelAgreementTests().agree(architecture, Float.self, tolerance: 1e-5)
    }

    /// Double GRU and RNN stacks (same math in the same precision: 1e-10).
    @Test func doubleGRUAndRNNTrainLikeReference() throws {
        try KernelModelAgreementTests().agree(
            try ModelArchitecture(kind: .gru, inputSize: 5, hiddenSizes: [13, 3], outputSize: 2, activation: .tanh), Double.self, tolerance: 1e-10)
        try KernelModelAgreementTests().agree(
            try ModelArchitecture(kind: .rnn, inputSize: 2, hiddenSizes: [9], outputSize: 1, activation: .sigmoid), Double.self, tolerance: 1e-10)
    }

    /// Relu RNN layers have no generated kernel: every one runs on the run-time kernel, in
    /// Double (1e-10, as above) and Float (1e-5, as for generated kernels).
    @Test func reluRNNTrainsLikeReference() throws {
        let architecture = try ModelArchitecture(kind: .rnnReLU, inputSize: 3, hiddenSizes: [8, 5], outputSize: 2, activation: .tanh)
        #expect(architecture.specialisation(in: GeneratedKernels.self, scalar: .float).map(\.isGenerated) == [false, false])
        try KernelModelAgreementTests().agree(architecture, Double.self, tolerance: 1e-10)
        try KernelModelAgreementTests().agree(architecture, Float.self, tolerance: 1e-5)
    }

    /// A stream of a model with a run-time layer, sample by sample, equals the driver's batched
    /// inference bit for bit and the Double reference model within the Float tolerance.
    @Test func streamMatchesDriverAndReference() throws {
        let architecture = try ModelArchitecture(kind: .gru, inputSize: 1, hiddenSizes: [7, 21], outputSize: 1)
        #expect(architecture.specialisation(in: GeneratedKernels.self, scalar: .float).map(\.isGenerated) == [false, false])
        let T = 40
        let c = try ModelTestSupport.randomCase(architecture, lengths: [T], seed: 5, as: Float.self)
        let driver = try ModelDriver(parameters: c.parameters, registry: GeneratedKernels.self, workerCount: 1)
        var states = [Float](repeating: 0, count: driver.model.stateSize)
        let batchOutputs = try driver.infer(c.batch, states: &states)
        let stream = try ModelStream(parameters: c.parameters, registry: GeneratedKernels.self)
        let streamed = c.batch.inputs.map { stream.process($0) }
        #expect(streamed.map(\.bitPattern) == batchOutputs.map(\.bitPattern))
        #expect(stream.currentState.map(\.bitPattern) == states.map(\.bitPattern))
        let reference = try ReferenceModel(parameters: c.parameters.converted(to: Double.self))
        let trace = try reference.forward(c.batch.inputs.map { [Double($0)] }, initialState: nil)
        let e = relativeError(streamed, trace.outputs.flatMap { $0 })
        #expect(e <= 1e-5, "stream against the reference: relative error \(e)")
    }
}
