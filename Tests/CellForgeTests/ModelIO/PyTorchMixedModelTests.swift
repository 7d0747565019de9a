import CellForge
import Foundation
import Testing

/// Whole mixed models written by PyTorch (Tests/Fixtures/pytorch, make_mixed_model_fixture.py):
/// read through `PyTorchModelWeights.parameters(from:modules:)`, the model driver's outputs,
/// loss, δx and every parameter's gradient (exported under the state_dict's names) equal
/// autograd's. The driver runs the dense and activation layers' own code and the reference
/// cells, in Double; PyTorch computed the same math in float64 in another summation order:
/// ~1e-15 relative, so 1e-10 leaves room and catches any layout, order or derivative error (≥ 1e-3).
@Suite struct PyTorchMixedModelTests {
    /// L = Σ w·y² with the fixture's weights w (laid out like the outputs).
    struct WeightedSquares: ModelLoss {
        let weights: [Double], stepsPerSequence: Int, outputSize: Int
        func evaluate(sequence: Int, outputs: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
            let w = weights[(sequence * stepsPerSequence * outputSize)...]
            var sum = 0.0
            for k in outputs.indices {
                sum += w[w.startIndex + k] * outputs[k] * outputs[k]
                gradient[k] = 2 * w[w.startIndex + k] * outputs[k]
            }
            return sum
        }
    }

    @Test(arguments: ["torch_mixed_dense_lstm", "torch_mixed_gru_rnn", "torch_mixed_rnn_relu"]) func driverMatchesAutograd(_ name: String) throws {
        let fixture = try MixedModelFixture(name)
        let modules = try fixture.modules()
        let model = try PyTorchModelWeights.parameters(from: fixture.weights, modules: modules, as: Double.self)
        #expect(PyTorchModule.modules(for: model.architecture) == modules, "the modules of a one-module-per-layer state_dict")
        let (N, T, D, O) = (fixture.N, fixture.T, model.architecture.inputSize, model.architecture.outputSize)
        let batch = try SequenceBatch(inputs: fixture.x, lengths: Array(repeating: T, count: N), inputSize: D)
        let driver = try ModelDriver(parameters: model, layers: model.architecture.referenceLayers(Double.self), workerCount: 2,
                                     sequencesPerChunk: 1)
        var outputs = [Double](repeating: 0, count: N * T * O), dx = [Double](repeating: 0, count: N * T * D)
        let loss = WeightedSquares(weights: fixture.lossWeights, stepsPerSequence: T, outputSize: O)
        let (value, gradient) = try outputs.withUnsafeMutableBufferPointer { y in
            try dx.withUnsafeMutableBufferPointer { dx in
                try driver.gradient(batch, supervision: .loss(loss), buffers: ModelStepBuffers(outputs: y, inputGradients: dx))
            }
        }
        func check(_ what: String, _ actual: [Double], _ expected: [Double]) {
            let scale = max(expected.map(abs).max() ?? 0, 1e-300)
            let e = actual.count == expected.count ? zip(actual, expected).map { abs($0 - $1) }.max()! / scale : .infinity
            #expect(e <= 1e-10, "\(name) \(what): relative error \(e)")
        }
        check("outputs", outputs, fixture.outputs)
        check("loss", [value], [fixture.loss])
        check("δx", dx, fixture.dx)
        let named = PyTorchModelWeights.sequentialGradientTensors(gradient, dtype: .f64)
        #expect(Set(named.names) == Set(fixture.gradients.keys))
        for name in named.names { check("gradient of \(name)", named[name]!.values(as: Double.self), fixture.gradients[name] ?? []) }
        let exported = PyTorchModelWeights.sequentialTensors(model, dtype: .f64)
        #expect(try PyTorchModelWeights.parameters(from: exported, modules: modules, as: Double.self) == model, "export reads back")
    }
}
