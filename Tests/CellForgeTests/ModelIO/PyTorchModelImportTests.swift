import CellForge
import Foundation
import Testing

/// Whole PyTorch models (num_layers ≥ 1, Linear head, bias=False, nested modules) load from
/// state_dicts PyTorch wrote and reproduce PyTorch's outputs; bad state_dicts are refused
/// with one line naming the layer and tensor. Tolerances: `ModelIOTolerance`.
@Suite struct PyTorchModelImportTests {
    @Test(arguments: [("torch_lstm2_linear", ActivationKind.identity), ("torch_gru_linear_tanh", .tanh)])
    func stackWithLinearHeadReproducesPyTorch(_ name: String, _ activation: ActivationKind) throws {
        let file = try ModelIOTestSupport.weights(name)
        let (x, y, _) = try ModelIOTestSupport.io(name + ".json")
        let double = try PyTorchModelWeights.parameters(from: file, activation: activation, as: Double.self)
        let float = try PyTorchModelWeights.parameters(from: file, recurrent: "rnn.", head: "head.", activation: activation, as: Float.self)
        #expect(try RecurrentStackWithHead(double, format: "a test").activation == activation)
        #expect(double.architecture == float.architecture)
        let d = try ModelIOTestSupport.maxError(double, x: x, expected: y)
        let f = try ModelIOTestSupport.maxError(float, x: x, expected: y)
        print("\(name): Double max error \(d), Float \(f)")
        #expect(d <= ModelIOTolerance.double, "\(name) Double: \(d)")
        #expect(f <= ModelIOTolerance.float, "\(name) Float: \(f)")
    }

    @Test func architecturesAreReadFromTheShapes() throws {
        let lstm: ModelParameters<Double> = try PyTorchModelWeights.parameters(from: ModelIOTestSupport.weights("torch_lstm2_linear"))
        #expect(lstm.architecture == (try ModelArchitecture(kind: .lstm, inputSize: 3, hiddenSizes: [5, 5], outputSize: 2)))
        let gru: ModelParameters<Double> = try PyTorchModelWeights.parameters(from: ModelIOTestSupport.weights("torch_gru_linear_tanh"),
                                                                              activation: .tanh)
        #expect(gru.architecture == (try ModelArchitecture(kind: .gru, inputSize: 2, hiddenSizes: [7], outputSize: 3, activation: .tanh)))
    }

    @Test func nestedModuleWithoutBiasesIsFoundByScanning() throws {
        let name = "torch_rnn2_nested_nobias"
        let file = try ModelIOTestSupport.weights(name)
        let (x, y, _) = try ModelIOTestSupport.io(name + ".json")
        let model = try PyTorchModelWeights.parameters(from: file, as: Double.self)
        #expect(model.architecture == (try ModelArchitecture(kind: .rnn, inputSize: 4, hiddenSizes: [6, 6])))
        #expect(model.recurrentLayers.allSatisfy { $0.b.allSatisfy { $0 == 0 } })
        let d = try ModelIOTestSupport.maxError(model, x: x, expected: y)
        #expect(d <= ModelIOTolerance.double, "\(name): \(d)")
    }

    @Test func bidirectionalIsRefused() throws {
        let file = try ModelIOTestSupport.weights("torch_lstm_bidirectional")
        ModelIOTestSupport.expectError(["bidirectional", "rnn.", "_reverse"]) {
            _ = try PyTorchModelWeights.parameters(from: file, as: Float.self)
        }
    }

    @Test func exportLoadsBackExactlyWithPyTorchNames() throws {
        let file = try ModelIOTestSupport.weights("torch_lstm2_linear")
        let model = try PyTorchModelWeights.parameters(from: file, as: Float.self)
        let exported = try PyTorchModelWeights.tensors(model)
        #expect(exported.names == file.names, "same keys as PyTorch's state_dict, so load_state_dict(strict=True) accepts it")
        for name in file.names { #expect(exported[name]!.shape == file[name]!.shape, "\(name)") }
        #expect(try PyTorchModelWeights.parameters(from: exported, as: Float.self) == model)
    }

    @Test func exportRefusesLayersOneModuleCannotHold() throws {
        let arch = try ModelArchitecture(recurrent: [RecurrentLayerShape(kind: .lstm, hiddenSize: 4, inputSize: 2),
                                                  RecurrentLayerShape(kind: .lstm, hiddenSize: 3, inputSize: 4)])
        let model = ModelParameters<Float>.random(arch, seed: 1)
        ModelIOTestSupport.expectError(["layer 1", "hidden size 4"]) { _ = try PyTorchModelWeights.tensors(model) }
    }

    @Test func badStateDictsAreRefusedNamingLayerAndTensor() throws {
        let good = try ModelIOTestSupport.weights("torch_lstm2_linear")
        func load(_ file: SafeTensors) throws { _ = try PyTorchModelWeights.parameters(from: file, as: Double.self) }
        var missing = good
        missing["rnn.bias_hh_l1"] = nil
        ModelIOTestSupport.expectError(["missing", "rnn.bias_hh_l1"]) { try load(missing) }
        var extra = good
        extra["rnn.weight_ih_l2_extra"] = good["rnn.bias_ih_l0"]
        ModelIOTestSupport.expectError(["unexpected", "rnn.weight_ih_l2_extra"]) { try load(extra) }
        var chain = good
        chain["rnn.weight_ih_l1"] = try SafeTensors.Tensor(shape: [20, 4], values: [Float](repeating: 0.1, count: 80))
        ModelIOTestSupport.expectError(["rnn.weight_ih_l1", "[20, 5]", "[20, 4]", "layer 1"]) { try load(chain) }
        var head = good
        head["head.weight"] = try SafeTensors.Tensor(shape: [2, 4], values: [Float](repeating: 0.1, count: 8))
        ModelIOTestSupport.expectError(["head.weight", "[O, 5]", "[2, 4]"]) { try load(head) }
        var headBias = good
        headBias["head.bias"] = try SafeTensors.Tensor(shape: [3], values: [Float](repeating: 0.1, count: 3))
        ModelIOTestSupport.expectError(["head.bias", "[2]", "[3]"]) { try load(headBias) }
        var nan = good
        nan["rnn.weight_hh_l1"] = try SafeTensors.Tensor(shape: [20, 5], values: [Float](repeating: .nan, count: 100))
        ModelIOTestSupport.expectError(["rnn.weight_hh_l1"]) { try load(nan) }
        var projected = good
        projected["rnn.weight_hr_l0"] = good["head.weight"]
        ModelIOTestSupport.expectError(["proj_size", "rnn.weight_hr_l0"]) { try load(projected) }
        ModelIOTestSupport.expectError(["rnn.weight_hh_l0", "[20, 5]", "LSTM, not a GRU"]) {
            _ = try PyTorchModelWeights.parameters(from: good, kind: .gru, as: Double.self)
        }
        var twoHeads = good
        twoHeads["other.weight"] = good["head.weight"]
        ModelIOTestSupport.expectError(["several", "head.", "other."]) { try load(twoHeads) }
    }
}
