import CellForge
import Foundation
import Testing

/// Gradients under PyTorch's state_dict names (`PyTorchWeights.gradientTensors`): the adjoint of
/// the import (⟨gradientTensors(g), v⟩ = ⟨g, import(v)⟩ for any tensors v), and autograd's
/// gradients of the LSTM, GRU and RNN (tanh and relu) layers inside the mixed PyTorch models of
/// Tests/Fixtures/pytorch, reproduced by the reference cells from the layer's input and the
/// gradient PyTorch sent into its output.
@Suite struct PyTorchGradientTensorsTests {
    /// The import is linear in the tensors, so its adjoint is the only map with this property:
    /// a wrong gate block, a missing bias_hh share or a GRU n block mixed up fails it by O(1).
    @Test(arguments: CellKind.allCases) func gradientTensorsAreTheImportsAdjoint(_ kind: CellKind) throws {
        let (H, D) = (3, 2)
        let g = try CellParameters<Double>.random(kind: kind, hiddenSize: H, inputSize: D, seed: 71)
        let v = PyTorchWeights.tensors(try CellParameters<Double>.random(kind: kind, hiddenSize: H, inputSize: D, seed: 72),
                                       prefix: "m.", layer: 1, dtype: .f64)
        var direction = SafeTensors()
        for (i, name) in v.names.enumerated() {  // Every tensor arbitrary, bias_hh included (export leaves it mostly zero).
            let values = (0..<v[name]!.elementCount).map { sin(Double(100 * i + $0) + 0.5) }
            direction[name] = try .init(shape: v[name]!.shape, values: values, dtype: .f64)
        }
        let imported: CellParameters<Double> = try PyTorchWeights.parameters(kind, from: rename(direction, "m.", layer: 1), as: Double.self)
        let gradient = PyTorchWeights.gradientTensors(g, prefix: "m.", layer: 1, dtype: .f64)
        #expect(gradient.names == direction.names)
        let lhs = gradient.names.reduce(0.0) { sum, name in
            sum + zip(gradient[name]!.values(as: Double.self), direction[name]!.values(as: Double.self)).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let rhs = zip(g.values, imported.values).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(lhs - rhs) <= 1e-13 * max(abs(rhs), 1), "⟨gradient tensors, v⟩ \(lhs), ⟨g, import(v)⟩ \(rhs)")
    }

    /// Layer `layer`'s tensors of `file` (after `prefix`) as a layer-0 state_dict.
    func rename(_ file: SafeTensors, _ prefix: String, layer: Int) -> SafeTensors {
        var out = SafeTensors()
        for (name, layer0) in zip(PyTorchWeights.tensorNames(layer: layer), PyTorchWeights.tensorNames(layer: 0)) {
            out[layer0] = file[prefix + name]
        }
        return out
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let fixture: String, layer: Int, kind: CellKind
        var testDescription: String { "\(fixture) layer \(layer) (\(kind))" }
    }

    static let cases = [Case(fixture: "torch_mixed_dense_lstm", layer: 2, kind: .lstm),
                        Case(fixture: "torch_mixed_gru_rnn", layer: 2, kind: .gru),
                        Case(fixture: "torch_mixed_gru_rnn", layer: 4, kind: .rnn),
                        Case(fixture: "torch_mixed_rnn_relu", layer: 1, kind: .rnnReLU),
                        Case(fixture: "torch_mixed_rnn_relu", layer: 3, kind: .rnnReLU)]

    /// The layer's input (layer − 1's output) and PyTorch's ∂L/∂(its output) give, through the
    /// reference cell in Double, its outputs, ∂L/∂(its input) and the gradient of each of its
    /// state_dict tensors. PyTorch computed in float64 the same math, differing in summation
    /// order and libm over T = 5 steps of a few dozen terms: ~1e-15 relative; 1e-10 leaves room
    /// and still catches any block, bias share or layout error (≥ 1e-3).
    @Test(arguments: cases) func referenceCellGradientsMatchAutogradUnderTheirNames(_ c: Case) throws {
        let fixture = try MixedModelFixture(c.fixture)
        let prefix = "layers.\(c.layer)."
        let p: CellParameters<Double> = try PyTorchWeights.parameters(c.kind, from: fixture.weights, prefix: prefix)
        let cell: any ReferenceCell<Double> = switch c.kind {
        case .lstm: try ReferenceLSTM(parameters: p)
        case .gru: try ReferenceGRU(parameters: p)
        case .rnn, .rnnReLU: try ReferenceRNN(parameters: p)
        }
        let (N, T, D, H) = (fixture.N, fixture.T, p.inputSize, p.hiddenSize)
        let x = fixture.layerOutputs[c.layer - 1], y = fixture.layerOutputs[c.layer]
        let dy = fixture.layerOutputGradients[c.layer], dx = fixture.layerOutputGradients[c.layer - 1]
        func steps(_ flat: [Double], _ n: Int, _ width: Int) -> [[Double]] {
            (0..<T).map { t in Array(flat[((n * T + t) * width)..<((n * T + t + 1) * width)]) }
        }
        var gradient = try CellParameters<Double>(kind: c.kind, hiddenSize: H, inputSize: D)
        var outputs: [Double] = [], inputGradients: [Double] = []
        for n in 0..<N {
            let trace = try cell.forward(steps(x, n, D))
            let g = try cell.backward(trace, outputGradients: steps(dy, n, H))
            outputs += trace.hidden.joined()
            inputGradients += g.inputs.joined()
            for k in gradient.values.indices { gradient.values[k] += g.parameters.values[k] }
        }
        #expect(relativeError(outputs, y) <= 1e-10, "outputs: relative error \(relativeError(outputs, y))")
        #expect(relativeError(inputGradients, dx) <= 1e-10, "δx: relative error \(relativeError(inputGradients, dx))")
        let named = PyTorchWeights.gradientTensors(gradient, prefix: prefix, dtype: .f64)
        #expect(Set(named.names) == Set(fixture.gradients.keys.filter { $0.hasPrefix(prefix) }))
        var worst = 0.0
        for name in named.names {
            let e = relativeError(named[name]!.values(as: Double.self), fixture.gradients[name] ?? [])
            #expect(e <= 1e-10, "gradient of \(name): relative error \(e)")
            worst = max(worst, e)
        }
        print("\(c.testDescription): largest relative error of a named gradient vs autograd \(worst)")
    }

    /// Largest |a − b| relative to the largest |b| (infinite when the counts differ).
    func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, !b.isEmpty else { return .infinity }
        let scale = max(b.map(abs).max()!, 1e-300)
        return zip(a, b).map { abs($0 - $1) }.max()! / scale
    }
}

/// One mixed-model fixture of Tests/Fixtures/pytorch (make_mixed_model_fixture.py): its
/// state_dict and what PyTorch computed, flat arrays in row-major order.
struct MixedModelFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/pytorch")

    let weights: SafeTensors
    let N: Int, T: Int, D: Int, O: Int
    /// The fixture's `layers`: each layer's `type` and sizes, as the script describes them.
    let layers: [[String: Any]]
    let x: [Double], outputs: [Double], lossWeights: [Double], loss: Double, dx: [Double]
    let layerOutputs: [[Double]], layerOutputGradients: [[Double]]
    let gradients: [String: [Double]]

    init(_ name: String) throws {
        weights = try SafeTensors(contentsOf: Self.folder.appendingPathComponent(name + ".safetensors"))
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(name + ".json"))
        let d = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        func numbers(_ v: Any?) throws -> [Double] { try #require(v as? [NSNumber]).map(\.doubleValue) }
        func int(_ key: String) throws -> Int { try #require(d[key] as? Int, "\(key)") }
        (N, T, D, O) = (try int("N"), try int("T"), try int("D"), try int("O"))
        layers = try #require(d["layers"] as? [[String: Any]])
        x = try numbers(d["x"])
        outputs = try numbers(d["outputs"])
        lossWeights = try numbers(d["loss_weights"])
        loss = try #require(d["loss"] as? Double)
        dx = try numbers(d["dx"])
        layerOutputs = try #require(d["layer_outputs"] as? [Any]).map(numbers)
        layerOutputGradients = try #require(d["layer_output_gradients"] as? [Any]).map(numbers)
        gradients = try #require(d["gradients"] as? [String: Any]).mapValues(numbers)
    }

    /// The PyTorch modules of the fixture's `layers`, in order, each under `layers.<index>.`.
    func modules() throws -> [PyTorchModule] {
        try layers.enumerated().map { i, layer in
            let prefix = "layers.\(i)."
            switch layer["type"] as? String {
            case "dense": return .linear(prefix: prefix)
            case "lstm", "gru", "rnn": return .recurrent(prefix: prefix)
            case "rnn_relu": return .reluRNN(prefix: prefix)
            case "activation":
                switch layer["kind"] as? String {
                case "tanh": return .activation(.tanh)
                case "sigmoid": return .activation(.sigmoid)
                case "relu": return .activation(.relu)
                case "softmax": return .activation(.softmax)
                case "leaky_relu": return .activation(.leakyReLU(slope: try #require(layer["slope"] as? Double)))
                case "elu": return .activation(.elu(alpha: try #require(layer["alpha"] as? Double)))
                case "prelu": return .prelu(prefix: prefix)
                case let kind: throw FixtureError("layer \(i): activation \(kind ?? "none") unknown to this test")
                }
            case let type: throw FixtureError("layer \(i): type \(type ?? "none") unknown to this test")
            }
        }
    }

    /// Steps t of sequence n of a flat [N, T, width] array.
    func sequence(_ flat: [Double], _ n: Int, width: Int) -> [[Double]] {
        (0..<T).map { t in Array(flat[((n * T + t) * width)..<((n * T + t + 1) * width)]) }
    }
}

/// The whole mixed PyTorch models of Tests/Fixtures/pytorch (Linear, LSTM, GRU, RNN (tanh, relu), tanh,
/// sigmoid, relu, leaky_relu, elu, PReLU, softmax), imported module by module
/// (`PyTorchModelWeights.parameters(from:modules:)`) and run by the reference model in Double:
/// PyTorch's outputs, loss L = Σ w·y², δx and the gradient of every state_dict tensor under
/// its name (`sequentialGradientTensors`). Tolerance as for the recurrent layers alone: the same
/// math in float64, ~1e-15 relative; 1e-10 catches any layout, bias share or derivative error.
@Suite struct MixedModelFixtureTests {
    @Test(arguments: ["torch_mixed_dense_lstm", "torch_mixed_gru_rnn", "torch_mixed_rnn_relu"]) func referenceModelMatchesAutograd(_ name: String) throws {
        let f = try MixedModelFixture(name)
        let modules = try f.modules()
        let p = try PyTorchModelWeights.parameters(from: f.weights, modules: modules, inputSize: f.D, as: Double.self)
        #expect(PyTorchModule.modules(for: p.architecture) == modules)
        #expect(PyTorchModelWeights.sequentialTensors(p, dtype: .f64).names == f.weights.names)
        let model = try ReferenceModel(parameters: p)
        var outputs: [Double] = [], dx: [Double] = [], loss = 0.0
        var gradient = ModelParameters<Double>(zerosFor: p.architecture)
        for n in 0..<f.N {
            let trace = try model.forward(f.sequence(f.x, n, width: f.D))
            let y = trace.outputs, w = f.sequence(f.lossWeights, n, width: f.O)
            loss += zip(y, w).reduce(0) { $0 + zip($1.0, $1.1).reduce(0) { $0 + $1.1 * $1.0 * $1.0 } }
            let dy = zip(y, w).map { zip($0, $1).map { 2 * $1 * $0 } }
            let g = try model.backward(trace, outputGradients: dy)
            outputs += y.joined()
            dx += g.inputs.joined()
            for l in gradient.layers.indices { gradient.layers[l].values = zip(gradient.layers[l].values, g.parameters.layers[l].values).map(+) }
        }
        var worst = 0.0
        for (what, actual, wanted) in [("outputs", outputs, f.outputs), ("loss", [loss], [f.loss]), ("δx", dx, f.dx)] {
            let e = relativeError(actual, wanted)
            #expect(e <= 1e-10, "\(name) \(what): relative error \(e)")
            worst = max(worst, e)
        }
        let named = PyTorchModelWeights.sequentialGradientTensors(gradient, dtype: .f64)
        #expect(Set(named.names) == Set(f.gradients.keys))
        for (tensor, wanted) in f.gradients {
            let e = relativeError(named[tensor]?.values(as: Double.self) ?? [], wanted)
            #expect(e <= 1e-10, "\(name) gradient of \(tensor): relative error \(e)")
            worst = max(worst, e)
        }
        print("\(name): largest relative error vs PyTorch (outputs, loss, δx, every named gradient) \(worst)")
    }

    /// Largest |a − b| relative to the largest |b| (infinite when the counts differ).
    func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, !b.isEmpty else { return .infinity }
        let scale = max(b.map(abs).max()!, 1e-300)
        return zip(a, b).map { abs($0 - $1) }.max()! / scale
    }
}
