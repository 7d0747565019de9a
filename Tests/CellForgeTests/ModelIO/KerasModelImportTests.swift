import CellForge
import Foundation
import Testing

/// Keras Sequential models (LSTM, GRU, SimpleRNN + Dense), written by Keras 3 and converted
/// from its .weights.h5, reproduce Keras's outputs, including the GRU whose gate order
/// (z, r, h) and split biases differ from PyTorch's and CellForge's. Tolerance: `ModelIOTolerance.keras`.
@Suite struct KerasModelImportTests {
    @Test func stackedLSTMWithTanhDenseReproducesKeras() throws {
        let name = "keras_lstm2_dense_tanh"
        let file = try ModelIOTestSupport.weights(name)
        let (x, y, _) = try ModelIOTestSupport.io(name + ".json")
        let double = try KerasModelWeights.parameters(from: file, activation: .tanh, as: Double.self)
        #expect(double.architecture == (try ModelArchitecture(kind: .lstm, inputSize: 3, hiddenSizes: [5, 5], outputSize: 2, activation: .tanh)))
        let d = try ModelIOTestSupport.maxError(double, x: x, expected: y)
        let f = try ModelIOTestSupport.maxError(KerasModelWeights.parameters(from: file, activation: .tanh, as: Float.self), x: x, expected: y)
        print("\(name): Double max error \(d), Float \(f)")
        #expect(d <= ModelIOTolerance.keras && f <= ModelIOTolerance.keras, "\(name): Double \(d), Float \(f)")
    }

    @Test func mixedGRUAndSimpleRNNReproduceKerasGivenTheOrder() throws {
        let name = "keras_gru_rnn_dense"
        let file = try ModelIOTestSupport.weights(name)
        let (x, y, json) = try ModelIOTestSupport.io(name + ".json")
        let order = try #require(json["layers"] as? [String])
        #expect(order == ["gru", "simple_rnn"])
        ModelIOTestSupport.expectError(["several names", "gru", "simple_rnn", "layers:"]) {
            _ = try KerasModelWeights.parameters(from: file, as: Double.self)
        }
        let model = try KerasModelWeights.parameters(from: file, layers: order, as: Double.self)
        #expect(model.architecture.recurrentLayers.map(\.kind) == [.gru, .rnn])
        let d = try ModelIOTestSupport.maxError(model, x: x, expected: y)
        let f = try ModelIOTestSupport.maxError(KerasModelWeights.parameters(from: file, layers: order, as: Float.self), x: x, expected: y)
        print("\(name): Double max error \(d), Float \(f)")
        #expect(d <= ModelIOTolerance.keras && f <= ModelIOTolerance.keras, "\(name): Double \(d), Float \(f)")
    }

    @Test func exportUsesKerasNamesAndLoadsBackExactly() throws {
        let file = try ModelIOTestSupport.weights("keras_lstm2_dense_tanh")
        let model = try KerasModelWeights.parameters(from: file, activation: .tanh, as: Float.self)
        let exported = try KerasModelWeights.tensors(model)
        #expect(exported.names == file.names)
        #expect(exported == file, "Float weights export to the very tensors Keras saved")
        #expect(try KerasModelWeights.parameters(from: exported, activation: .tanh, as: Float.self) == model)
    }

    @Test func weightsH5PathsLoadAsTheyAre() throws {
        let file = try ModelIOTestSupport.weights("keras_lstm2_dense_tanh")
        var h5 = SafeTensors()
        for name in file.names {
            let (layer, weight) = (name.split(separator: "/")[0], name.split(separator: "/")[1])
            let path = layer == "dense" ? "layers/dense/vars/\(weight == "kernel" ? 0 : 1)"
                : "layers/\(layer)/cell/vars/\(["kernel": 0, "recurrent_kernel": 1, "bias": 2][String(weight)]!)"
            h5[path] = file[name]
        }
        #expect(try KerasModelWeights.parameters(from: h5, activation: .tanh, as: Float.self)
                == KerasModelWeights.parameters(from: file, activation: .tanh, as: Float.self))
        h5["layers/lstm/cell/vars/3"] = file["lstm/bias"]
        ModelIOTestSupport.expectError(["layers/lstm/cell/vars/3", "vars 0 to 2"]) {
            _ = try KerasModelWeights.parameters(from: h5, as: Float.self)
        }
    }

    @Test func badWeightsAreRefusedNamingLayerAndTensor() throws {
        let good = try ModelIOTestSupport.weights("keras_lstm2_dense_tanh")
        func load(_ file: SafeTensors) throws { _ = try KerasModelWeights.parameters(from: file, as: Double.self) }
        var missing = good
        missing["lstm_1/bias"] = nil
        ModelIOTestSupport.expectError(["missing", "lstm_1/bias"]) { try load(missing) }
        var extra = good
        extra["dropout/seed"] = good["dense/bias"]
        ModelIOTestSupport.expectError(["unexpected", "dropout/seed"]) { try load(extra) }
        var chain = good
        chain["lstm_1/kernel"] = try SafeTensors.Tensor(shape: [4, 20], values: [Float](repeating: 0.1, count: 80))
        ModelIOTestSupport.expectError(["layer 1", "lstm_1/kernel", "[5, 20]", "[4, 20]"]) { try load(chain) }
        var head = good
        head["dense/kernel"] = try SafeTensors.Tensor(shape: [4, 2], values: [Float](repeating: 0.1, count: 8))
        ModelIOTestSupport.expectError(["dense/kernel", "[5, O]", "[4, 2]"]) { try load(head) }
        var misnamed = good
        misnamed["lstm_1/recurrent_kernel"] = try SafeTensors.Tensor(shape: [5, 15], values: [Float](repeating: 0.1, count: 75))
        ModelIOTestSupport.expectError(["lstm_1", "LSTM", "GRU"]) { try load(misnamed) }
    }
}
