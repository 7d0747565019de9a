import CellForge
import Foundation
import Testing

/// A model carried PyTorch → CellForge file → Keras → RTNeural → PyTorch keeps every
/// parameter bit for bit, in Float and Double; gate orders differ between all of them (LSTM
/// (a,i,f,o) / (i,f,g,o) / (i,f,c,o); GRU (r,u,n) / (r,z,n) / (z,r,h)), so a mix-up would show.
@Suite struct ModelRoundTripTests {
    func chain<S: CellScalar>(_ model: ModelParameters<S>, keras: Bool = true, rtneural: Bool = true) throws -> ModelParameters<S> {
        let activation = try RecurrentStackWithHead(model, format: "a round trip").activation
        let relu = model.architecture.recurrentLayers.first?.kind == .rnnReLU  // (a state_dict cannot say relu: the import is told)
        var m = try PyTorchModelWeights.parameters(from: PyTorchModelWeights.tensors(model), kind: relu ? .rnnReLU : nil,
                                                   activation: activation, as: S.self)
        #expect(m == model, "PyTorch")
        m = try ModelFile(SafeTensors(data: ModelFile(parameters: m).safeTensors.serialized())).parameters
        #expect(m == model, "CellForge file")
        if keras {
            m = try KerasModelWeights.parameters(from: SafeTensors(data: KerasModelWeights.tensors(m).serialized()),
                                                 layers: KerasModelWeights.layerNames(for: m.architecture).layers,
                                                 activation: activation, as: S.self)
            #expect(m == model, "Keras")
        }
        if rtneural {
            m = try RTNeuralModel.parameters(json: RTNeuralModel.json(m), as: S.self)
            #expect(m == model, "RTNeural")
        }
        return m
    }

    @Test func fixtureModelsSurviveEveryFormat() throws {
        for (name, activation) in [("torch_lstm2_linear", ActivationKind.identity), ("torch_gru_linear_tanh", .tanh)] {
            let file = try ModelIOTestSupport.weights(name)
            let float = try PyTorchModelWeights.parameters(from: file, activation: activation, as: Float.self)
            // (PyTorch's split biases come back summed into bias_ih, so compare parameters, not tensors.)
            _ = try chain(float)
            _ = try chain(float.converted(to: Double.self))
        }
    }

    @Test func randomModelsSurviveEveryFormat() throws {
        for seed in UInt64(1)...4 {
            for kind in CellKind.allCases {
                let arch = try ModelArchitecture(kind: kind, inputSize: 3, hiddenSizes: [6, 6], outputSize: seed % 2 == 0 ? 2 : nil,
                                                 activation: .sigmoid)
                // Keras weights do not say relu (they import as tanh); RTNeural has no RNN layer.
                _ = try chain(ModelParameters<Double>.random(arch, seed: seed), keras: kind != .rnnReLU, rtneural: !kind.isSimpleRNN)
                _ = try chain(ModelParameters<Float>.random(arch, seed: seed), keras: kind != .rnnReLU, rtneural: !kind.isSimpleRNN)
            }
        }
    }

    @Test func keepsBiasesThatDifferPerGate() throws {
        // Distinct values in every slot make a permutation of gates or of bias rows visible.
        let arch = try ModelArchitecture(kind: .gru, inputSize: 2, hiddenSizes: [3], outputSize: 1)
        var model = ModelParameters<Double>(zerosFor: arch)
        model.layers[0].values = model.layers[0].values.indices.map { Double($0) + 1 }
        model.layers[1].values = [10, 20, 30, 40]
        _ = try chain(model)
    }
}
