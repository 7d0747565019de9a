import CellForge
import Foundation
import Testing

/// PyTorch state_dicts ↔ CellParameters: gate order, bias split, round trips and errors.
@Suite struct PyTorchWeightsTests {
    typealias Tensor = SafeTensors.Tensor

    /// A one-unit state_dict whose values name their PyTorch gate block.
    static func stateDict(gates G: Int, wih: [Double], whh: [Double], bih: [Double], bhh: [Double]) throws -> SafeTensors {
        SafeTensors(tensors: [
            "weight_ih_l0": try Tensor(shape: [G, 1], values: wih, dtype: .f32),
            "weight_hh_l0": try Tensor(shape: [G, 1], values: whh, dtype: .f32),
            "bias_ih_l0": try Tensor(shape: [G], values: bih, dtype: .f32),
            "bias_hh_l0": try Tensor(shape: [G], values: bhh, dtype: .f32),
        ])
    }

    @Test func lstmGatesMoveFromIFGOToAIFOAndBiasesAdd() throws {
        let file = try Self.stateDict(gates: 4, wih: [1, 2, 3, 4], whh: [10, 20, 30, 40], bih: [0.5, 0.25, 0.125, 2], bhh: [1, 2, 3, 4])
        let p = try PyTorchWeights.parameters(.lstm, from: file, as: Double.self)
        #expect(Array(p.W) == [3, 1, 2, 4])           // (a, i, f, o) = (g, i, f, o)
        #expect(Array(p.U) == [30, 10, 20, 40])
        #expect(Array(p.b) == [3.125, 1.5, 2.25, 6])
    }

    @Test func gruKeepsTheCandidateBiasesApart() throws {
        let file = try Self.stateDict(gates: 3, wih: [1, 2, 3], whh: [10, 20, 30], bih: [0.5, 0.25, 0.125], bhh: [1, 2, 3])
        let p = try PyTorchWeights.parameters(.gru, from: file, as: Float.self)
        #expect(Array(p.W) == [1, 2, 3] && Array(p.U) == [10, 20, 30])
        #expect(Array(p.b) == [1.5, 2.25, 0.125])      // b_r, b_u summed; b_n = b_in
        #expect(Array(p.recurrentBias) == [3])         // b_hn
    }

    @Test(arguments: CellKind.allCases) func exportThenImportGivesTheSameParameters(_ kind: CellKind) throws {
        let p = try CellParameters<Double>.random(kind: kind, hiddenSize: 5, inputSize: 3, seed: 11)
        let exported = PyTorchWeights.tensors(p, prefix: "rnn.")
        #expect(exported.names == ["rnn.bias_hh_l0", "rnn.bias_ih_l0", "rnn.weight_hh_l0", "rnn.weight_ih_l0"])
        #expect(exported["rnn.weight_ih_l0"]?.shape == [kind.gateCount * 5, 3])
        #expect(try PyTorchWeights.parameters(kind, from: exported, prefix: "rnn.") == p)
        let viaFile = try SafeTensors(data: exported.serialized())
        #expect(try PyTorchWeights.parameters(kind, from: viaFile, prefix: "rnn.") == p)
        let pf: CellParameters<Float> = p.converted()
        #expect(try PyTorchWeights.parameters(kind, from: PyTorchWeights.tensors(pf)) == pf)
    }

    @Test(arguments: WeightsTestSupport.fixtureNames) func fixtureSurvivesExportAndImport(_ name: String) throws {
        let kind: CellKind = name.contains("lstm") ? .lstm : name.contains("gru") ? .gru : .rnn
        let file = try SafeTensors(contentsOf: WeightsTestSupport.fixtureWeightsURL(name))
        let p = try PyTorchWeights.parameters(kind, from: file, as: Double.self)
        #expect(try PyTorchWeights.parameters(kind, from: PyTorchWeights.tensors(p)) == p)
        // Weights are copied exactly: PyTorch's weight_hh row k of its first block is CellForge's row for that gate.
        let whh = try #require(file["weight_hh_l0"]).values(as: Double.self)
        let H = p.hiddenSize, firstGate = kind == .lstm ? 1 : 0    // PyTorch's i is CellForge's gate 1
        #expect(Array(p.U[(p.uOffset + firstGate * H * H)..<(p.uOffset + (firstGate * H + 1) * H)]) == Array(whh[0..<H]))
    }

    @Test func missingAndUnexpectedTensorsAreNamed() throws {
        var file = PyTorchWeights.tensors(try CellParameters<Float>.random(kind: .lstm, hiddenSize: 2, inputSize: 2, seed: 1))
        file["bias_hh_l0"] = nil
        file["weight_ih_l1"] = try Tensor(shape: [1], values: [0] as [Float])
        do {
            _ = try PyTorchWeights.parameters(.lstm, from: file, as: Float.self)
            Issue.record("accepted an incomplete state_dict")
        } catch let error as CellForgeError {
            #expect(error.description == #"invalid format: PyTorch LSTM state_dict: missing "bias_hh_l0"; unexpected "weight_ih_l1""#)
        }
        // Tensors outside the prefix are someone else's.
        var model = PyTorchWeights.tensors(try CellParameters<Float>.random(kind: .rnn, hiddenSize: 2, inputSize: 2, seed: 1), prefix: "rnn.")
        model["head.weight"] = try Tensor(shape: [1], values: [0] as [Float])
        #expect(throws: Never.self) { try PyTorchWeights.parameters(.rnn, from: model, prefix: "rnn.", as: Float.self) }
        #expect(throws: CellForgeError.self) { try PyTorchWeights.parameters(.rnn, from: model, as: Float.self) }
    }

    @Test func wrongShapesNameTheTensorAndBothShapes() throws {
        let good = PyTorchWeights.tensors(try CellParameters<Float>.random(kind: .lstm, hiddenSize: 8, inputSize: 5, seed: 2))
        var file = good
        file["weight_hh_l0"] = try Tensor(shape: [32, 7], values: [Float](repeating: 0, count: 224))
        #expect(throws: CellForgeError.shapeMismatch(name: "PyTorch LSTM state_dict tensor weight_hh_l0", expected: "[32, 8]", actual: "[32, 7]")) {
            try PyTorchWeights.parameters(.lstm, from: file, as: Float.self)
        }
        file = good
        file["bias_ih_l0"] = try Tensor(shape: [4, 8], values: [Float](repeating: 0, count: 32))
        #expect(throws: CellForgeError.shapeMismatch(name: "PyTorch LSTM state_dict tensor bias_ih_l0", expected: "[32]", actual: "[4, 8]")) {
            try PyTorchWeights.parameters(.lstm, from: file, as: Float.self)
        }
        // An LSTM's weights read as a GRU: 32 rows are not 3·H.
        #expect(throws: CellForgeError.shapeMismatch(name: "PyTorch GRU state_dict tensor weight_ih_l0", expected: "[3·H, D]", actual: "[32, 5]")) {
            try PyTorchWeights.parameters(.gru, from: good, as: Float.self)
        }
        file = good
        file["weight_ih_l0"] = try Tensor(shape: [0, 5], values: [Float]())
        #expect(throws: CellForgeError.self) { try PyTorchWeights.parameters(.lstm, from: file, as: Float.self) }
    }

    @Test func nonFiniteValuesAreRefused() throws {
        var file = PyTorchWeights.tensors(try CellParameters<Double>.random(kind: .rnn, hiddenSize: 2, inputSize: 1, seed: 3))
        file["bias_ih_l0"] = try Tensor(shape: [2], values: [1e300, 0] as [Double])
        #expect(throws: Never.self) { try PyTorchWeights.parameters(.rnn, from: file, as: Double.self) }
        #expect(throws: CellForgeError.invalidFormat("PyTorch RNN state_dict tensor bias_ih_l0: value 0 (1e+300) is out of Float range")) {
            try PyTorchWeights.parameters(.rnn, from: file, as: Float.self)
        }
        file["bias_ih_l0"] = try Tensor(shape: [2], values: [.nan, 0] as [Double])
        #expect(throws: CellForgeError.self) { try PyTorchWeights.parameters(.rnn, from: file, as: Double.self) }
    }
}
