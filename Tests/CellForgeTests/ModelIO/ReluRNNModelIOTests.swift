import CellForge
import Foundation
import Testing

/// Relu RNN layers (`CellKind.rnnReLU`) through the model formats: the CellForge file names
/// them "rnn_relu"; PyTorch state_dicts cannot say tanh or relu, so the import is told
/// (`PyTorchModule.reluRNN`, or `kind: .rnnReLU`) and tanh stays the default; RTNeural has
/// no RNN layer; Keras weights carry no activation and import as tanh.
@Suite struct ReluRNNModelIOTests {
    /// Linear → relu RNN → tanh RNN → relu RNN → Linear.
    static func architecture() throws -> ModelArchitecture {
        try ModelArchitecture(layers: [.dense(DenseLayerShape(inputSize: 3, outputSize: 4)),
                                       .recurrent(RecurrentLayerShape(kind: .rnnReLU, hiddenSize: 5, inputSize: 4)),
                                       .recurrent(RecurrentLayerShape(kind: .rnn, hiddenSize: 3, inputSize: 5)),
                                       .recurrent(RecurrentLayerShape(kind: .rnnReLU, hiddenSize: 2, inputSize: 3)),
                                       .dense(DenseLayerShape(inputSize: 2, outputSize: 1))])
    }

    @Test func modelFileRoundTripsRnnReLU() throws {
        let model = ModelParameters<Double>.random(try Self.architecture(), seed: 3)
        let tensors = try ModelFile(parameters: model).safeTensors
        #expect(tensors.metadata.filter { $0.key.hasSuffix(".kind") }.values.sorted() == ["dense", "dense", "rnn", "rnn_relu", "rnn_relu"])
        let loaded = try ModelFile<Double>(SafeTensors(data: tensors.serialized()))
        #expect(loaded.parameters == model)
        #expect(loaded.parameters.architecture.recurrentLayers.map(\.kind) == [.rnnReLU, .rnn, .rnnReLU])
    }

    @Test func pyTorchSequentialExportThenImportKeepsRelu() throws {
        let model = ModelParameters<Float>.random(try Self.architecture(), seed: 4)
        let modules = PyTorchModule.modules(for: model.architecture)
        #expect(modules == [.linear(prefix: "layers.0."), .reluRNN(prefix: "layers.1."), .recurrent(prefix: "layers.2."),
                            .reluRNN(prefix: "layers.3."), .linear(prefix: "layers.4.")])
        let file = try SafeTensors(data: PyTorchModelWeights.sequentialTensors(model).serialized())
        #expect(try PyTorchModelWeights.parameters(from: file, modules: modules, as: Float.self) == model)
        // Listed as .recurrent, the same tensors read as tanh RNNs: the state_dict does not say.
        let tanh = try PyTorchModelWeights.parameters(from: file, modules: modules.map {
            if case let .reluRNN(prefix) = $0 { .recurrent(prefix: prefix) } else { $0 }
        }, as: Float.self)
        #expect(tanh.architecture.recurrentLayers.map(\.kind) == [.rnn, .rnn, .rnn])
    }

    @Test func reluRNNModuleOverOtherGatesIsRefused() throws {
        let lstm = ModelParameters<Double>.random(try ModelArchitecture(kind: .lstm, inputSize: 2, hiddenSizes: [3]), seed: 5)
        let file = PyTorchModelWeights.sequentialTensors(lstm)
        #expect(throws: CellForgeError.invalidFormat("PyTorch module 0 (relu RNN at layers.0.) tensor \"layers.0.weight_hh_l0\" "
                                                     + "[12, 3] has the gates of a LSTM, not of an RNN")) {
            try PyTorchModelWeights.parameters(from: file, modules: [.reluRNN(prefix: "layers.0.")], as: Double.self)
        }
    }

    /// The stack importer reads an `nn.RNN` as tanh unless asked for relu; relu over LSTM gates is refused.
    @Test func stackImportTakesReluOnlyWhenAsked() throws {
        let relu = ModelParameters<Double>.random(try ModelArchitecture(kind: .rnnReLU, inputSize: 2, hiddenSizes: [4, 4], outputSize: 1), seed: 6)
        let file = try PyTorchModelWeights.tensors(relu)
        #expect(try PyTorchModelWeights.parameters(from: file, kind: .rnnReLU, as: Double.self) == relu)
        let tanh = try PyTorchModelWeights.parameters(from: file, as: Double.self)
        #expect(tanh.architecture.recurrentLayers.map(\.kind) == [.rnn, .rnn])
        #expect(tanh.layers.map(\.values) == relu.layers.map(\.values))
        let lstm = try PyTorchModelWeights.tensors(ModelParameters<Double>.random(try ModelArchitecture(kind: .lstm, inputSize: 2, hiddenSizes: [3]), seed: 7))
        #expect(throws: CellForgeError.self) { try PyTorchModelWeights.parameters(from: lstm, kind: .rnnReLU, as: Double.self) }
    }

    @Test func rtNeuralRefusesAndKerasReadsTanh() throws {
        let relu = ModelParameters<Float>.random(try ModelArchitecture(kind: .rnnReLU, inputSize: 2, hiddenSizes: [3], outputSize: 1), seed: 8)
        #expect(throws: CellForgeError.invalidArgument("layer 0 is a relu RNN, which RTNeural has no layer type for (it has lstm and gru)")) {
            try RTNeuralModel.json(relu)
        }
        let keras = try KerasModelWeights.parameters(from: SafeTensors(data: KerasModelWeights.tensors(relu).serialized()),
                                                     layers: KerasModelWeights.layerNames(for: relu.architecture).layers, as: Float.self)
        #expect(keras.architecture.recurrentLayers.map(\.kind) == [.rnn])
        #expect(keras.layers.map(\.values) == relu.layers.map(\.values))
    }
}
