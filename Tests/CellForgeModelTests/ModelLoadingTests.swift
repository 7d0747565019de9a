import CellForge
import CellForgeKernels
import Foundation
import Testing

/// Whole models from files whose sizes and scalar type are known only at run time, through
/// `AnyModelParameters` and a kernel registry to a running `ModelStream`, checked against
/// PyTorch's outputs; a size without a kernel is the one-line missing-kernel error.
@Suite struct ModelLoadingTests {
    /// Streams every fixture sequence, one sample per call, from its (non-zero) initial state.
    func streamed<S: CellScalar>(_ p: ModelParameters<S>, _ f: ModelFixture) throws -> [Double] {
        let stream = try ModelStream(parameters: p, registry: GeneratedKernels.self)
        let states = f.modelStates(h: f.h0, c: f.c0).map { S($0) }, size = stream.model.stateSize
        var y = [S](repeating: 0, count: f.O), out: [Double] = []
        for n in 0..<f.N {
            try stream.setState(Array(states[(n * size)..<((n + 1) * size)]))
            for t in 0..<f.T {
                let x = f.x[((n * f.T + t) * f.D)..<((n * f.T + t + 1) * f.D)].map { S($0) }
                y.withUnsafeMutableBufferPointer { stream.process(input: x, output: $0.baseAddress!) }
                out += y.map { Double($0) }
            }
        }
        return out
    }

    /// A PyTorch state_dict stored as F32 opens as Float; the same model in a CellForge model file
    /// of Double opens as Double. Tolerances as in PyTorchModelFixtureTests (1e-5 Float, 1e-10 Double).
    @Test(arguments: PyTorchModelFixtureTests.names) func filesOpenInTheirScalarType(_ name: String) throws {
        let f = try ModelFixture(name)
        let torch = try AnyModelParameters(pyTorch: SafeTensors(contentsOf: ModelFixture.directory.appendingPathComponent(name + ".safetensors")),
                                           activation: f.activation)
        #expect(torch.scalar == .float && torch.architecture == f.architecture)
        if case let .float(p) = torch {
            let e = relativeError(try streamed(p, f), f.float32.outputs)
            #expect(e <= 1e-5, "Float stream vs PyTorch float32: \(e)")
        }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try ModelFile(parameters: try f.modelParameters(Double.self)).save(to: url)
        let file = try AnyModelParameters(modelFileAt: url)
        #expect(file.scalar == .double && file.architecture == f.architecture)
        if case let .double(p) = file {
            let e = relativeError(try streamed(p, f), f.float64.outputs)
            #expect(e <= 1e-10, "Double stream vs PyTorch float64: \(e)")
        }
        // A state_dict stored as F64 opens as Double.
        let f64 = try PyTorchModelWeights.tensors(try f.modelParameters(Double.self), dtype: .f64)
        #expect(try AnyModelParameters(pyTorch: f64, activation: f.activation).scalar == .double)
    }

    /// An RTNeural model (GRU H6 D1 → LSTM H4 D6 → Dense) whose kernels the registry lacks: the
    /// stream and the driver open it on the run-time kernel and agree with the reference model;
    /// the architecture names both layers and the manifest entries that would specialise them, and
    /// `checkKernels` refuses it with one line naming both layers, their kernels and how to add them.
    @Test func sizeWithoutKernelRunsOnTheRunTimeKernel() throws {
        let url = ModelFixture.directory.deletingLastPathComponent().appendingPathComponent("formats/rtneural_gru_lstm_dense_sigmoid.json")
        let model = try AnyModelParameters(rtNeuralAt: url)
        guard case let .float(p) = model else { Issue.record("expected Float"); return }
        let notes = p.architecture.runTimeLayerNotes(in: GeneratedKernels.self, scalar: .float)
        #expect(notes.count == 2)
        #expect(notes.first?.contains("layer 0 (GRU H6 D1 Float) runs on the run-time kernel") == true)
        #expect(notes.last?.contains("{\"cell\": \"lstm\", \"hidden\": 4, \"input\": 6, \"scalar\": \"float\"}") == true)
        let x = (0..<32).map { Float(sin(Double($0) * 0.3)) * 0.8 }
        let stream = try ModelStream(parameters: p, registry: GeneratedKernels.self)
        let streamed = x.map { stream.process($0) }
        let driver = try ModelDriver(parameters: p, registry: GeneratedKernels.self, workerCount: 1)
        var states = [Float](repeating: 0, count: driver.model.stateSize)
        let inferred = try driver.infer(try SequenceBatch(inputs: x, lengths: [x.count], inputSize: 1), states: &states)
        #expect(inferred.map(\.bitPattern) == streamed.map(\.bitPattern))
        let reference = try ReferenceModel(parameters: p.converted(to: Double.self)).forward(x.map { [Double($0)] })
        let e = relativeError(streamed, reference.outputs.flatMap { $0 })
        #expect(e <= 1e-5, "stream against the reference model: \(e)")
        let parts = ["GRU H6 D1 Float (layer 0)", "LSTM H4 D6 Float (layer 1)", "in GeneratedKernels",
                     "Generated/kernels.json", "swift run codegen --manifest Generated/kernels.json",
                     "swift run codegen --hidden 6 --input 1 --cell gru --scalar float"]
        do {
            try p.architecture.checkKernels(in: GeneratedKernels.self, scalar: .float)
            Issue.record("expected the missing-kernel error")
        } catch let error as CellForgeError {
            let text = "\(error)"
            #expect(!text.contains("\n"))
            for part in parts { #expect(text.contains(part), "\(text) lacks \(part)") }
        }
        #expect(try AnyModelParameters(rtNeuralAt: url, scalar: .double).scalar == .double)
    }
}
