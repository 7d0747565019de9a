import CellForge
import Testing

/// Keras layer weights ↔ CellParameters, and agreement between the Keras and PyTorch layouts.
@Suite struct KerasWeightsTests {
    typealias Tensor = SafeTensors.Tensor

    @Test func gruUpdateGateComesFirstAndBiasRowsSplit() throws {
        let file = SafeTensors(tensors: [
            "kernel": try Tensor(shape: [1, 3], values: [1, 2, 3] as [Float]),           // (z, r, h)
            "recurrent_kernel": try Tensor(shape: [1, 3], values: [10, 20, 30] as [Float]),
            "bias": try Tensor(shape: [2, 3], values: [0.5, 0.25, 0.125, 1, 2, 3] as [Float]),
        ])
        let p = try KerasWeights.parameters(.gru, from: file, as: Double.self)
        #expect(Array(p.W) == [2, 1, 3] && Array(p.U) == [20, 10, 30])   // (r, u, n)
        #expect(Array(p.b) == [2.25, 1.5, 0.125] && Array(p.recurrentBias) == [3])
    }

    @Test func lstmKernelIsTransposedAndReordered() throws {
        // D = 2, H = 1: kernel [2, 4], columns (i, f, c, o).
        let file = SafeTensors(tensors: [
            "kernel": try Tensor(shape: [2, 4], values: [1, 2, 3, 4, 5, 6, 7, 8] as [Double]),
            "recurrent_kernel": try Tensor(shape: [1, 4], values: [10, 20, 30, 40] as [Double]),
            "bias": try Tensor(shape: [4], values: [0.1, 0.2, 0.3, 0.4] as [Double]),
        ])
        let p = try KerasWeights.parameters(.lstm, from: file, as: Double.self)
        #expect(Array(p.W) == [3, 7, 1, 5, 2, 6, 4, 8])   // rows (a, i, f, o), columns x_0, x_1
        #expect(Array(p.U) == [30, 10, 20, 40] && Array(p.b) == [0.3, 0.1, 0.2, 0.4])
    }

    @Test(arguments: CellKind.allCases) func exportThenImportGivesTheSameParameters(_ kind: CellKind) throws {
        let p = try CellParameters<Double>.random(kind: kind, hiddenSize: 4, inputSize: 6, seed: 21)
        let exported = KerasWeights.tensors(p, prefix: "layer/")
        #expect(exported["layer/kernel"]?.shape == [6, kind.gateCount * 4])
        #expect(exported["layer/bias"]?.shape == (kind == .gru ? [2, 12] : [kind.gateCount * 4]))
        #expect(try KerasWeights.parameters(kind, from: exported, prefix: "layer/") == p)
        #expect(try KerasWeights.parameters(kind, from: SafeTensors(data: exported.serialized()), prefix: "layer/") == p)
        let pf: CellParameters<Float> = p.converted()
        #expect(try KerasWeights.parameters(kind, from: KerasWeights.tensors(pf)) == pf)
    }

    /// One network through both layouts: the stored tensors differ (the gate orders differ,
    /// so a wrong mapping could not give back the same parameters), the imports agree.
    @Test(arguments: [CellKind.lstm, .gru]) func pytorchAndKerasLayoutsAgree(_ kind: CellKind) throws {
        let (H, D) = (3, 2)
        let p = try CellParameters<Double>.random(kind: kind, hiddenSize: H, inputSize: D, seed: 31)
        let torch = PyTorchWeights.tensors(p), keras = KerasWeights.tensors(p)
        let fromTorch = try PyTorchWeights.parameters(kind, from: SafeTensors(data: torch.serialized()), as: Double.self)
        let fromKeras = try KerasWeights.parameters(kind, from: SafeTensors(data: keras.serialized()), as: Double.self)
        #expect(fromTorch == p && fromKeras == p)

        // Framework to framework, independent of CellForge: Keras's kernel is PyTorch's weight_ih
        // transposed, with the same block order for LSTM and the first two blocks swapped for GRU.
        let G = kind.gateCount
        let kerasBlockOfTorch = kind == .lstm ? [0, 1, 2, 3] : [1, 0, 2]
        let kernel = try #require(keras["kernel"]).values(as: Double.self)
        let torchW = try #require(torch["weight_ih_l0"]).values(as: Double.self)
        for r in 0..<(G * H) { for j in 0..<D {
            #expect(torchW[r * D + j] == kernel[j * G * H + kerasBlockOfTorch[r / H] * H + r % H], "row \(r) column \(j)")
        } }
        // Keras's order differs from CellForge's for both cells (PyTorch's for LSTM), so a
        // mapping that ignored gate order could not give back `p` from both layouts.
        let kernelRows = (0..<(G * H)).flatMap { c in (0..<D).map { j in kernel[j * G * H + c] } }
        #expect(kernelRows != Array(p.W) && (kind == .gru || torchW != Array(p.W)))
        if kind == .gru {
            let bias = try #require(keras["bias"]).values(as: Double.self)
            let bih = try #require(torch["bias_ih_l0"]).values(as: Double.self), bhh = try #require(torch["bias_hh_l0"]).values(as: Double.self)
            #expect((0..<(G * H)).map { bias[kerasBlockOfTorch[$0 / H] * H + $0 % H] } == bih)
            #expect((0..<(G * H)).map { bias[G * H + kerasBlockOfTorch[$0 / H] * H + $0 % H] } == bhh)
        }

        if kind == .lstm {
            var rng = SplitMix64(seed: 9)
            let x: [[Double]] = TestSupport.sequence(5, D, &rng), h0: [Double] = TestSupport.vector(H, &rng)
            let c0: [Double] = TestSupport.vector(H, &rng)
            let a = try ReferenceLSTM(parameters: fromTorch).forward(x, initialHidden: h0, initialCell: c0)
            let b = try ReferenceLSTM(parameters: fromKeras).forward(x, initialHidden: h0, initialCell: c0)
            let original = try ReferenceLSTM(parameters: p).forward(x, initialHidden: h0, initialCell: c0)
            #expect(a.hidden == b.hidden && a.finalCell == b.finalCell && a.hidden == original.hidden)
        }
    }

    @Test func gruWithResetAfterFalseIsRefused() throws {
        let p = try CellParameters<Float>.random(kind: .gru, hiddenSize: 2, inputSize: 1, seed: 4)
        var file = KerasWeights.tensors(p)
        file["bias"] = try Tensor(shape: [6], values: [Float](repeating: 0, count: 6))
        do {
            _ = try KerasWeights.parameters(.gru, from: file, as: Float.self)
            Issue.record("accepted a reset_after=False GRU")
        } catch let error as CellForgeError {
            #expect(error.description.contains("Keras GRU weights tensor bias") && error.description.contains("reset_after=False"))
            #expect(error.description.contains("got [6]"))
        }
    }

    @Test func missingUnexpectedAndMisshapenTensorsAreNamed() throws {
        let good = KerasWeights.tensors(try CellParameters<Float>.random(kind: .lstm, hiddenSize: 2, inputSize: 3, seed: 5))
        var file = good
        file["recurrent_kernel"] = nil
        file["kernel:0"] = good["kernel"]
        #expect(throws: CellForgeError.invalidFormat(#"Keras LSTM weights: missing "recurrent_kernel"; unexpected "kernel:0""#)) {
            try KerasWeights.parameters(.lstm, from: file, as: Float.self)
        }
        file = good
        file["recurrent_kernel"] = try Tensor(shape: [8, 2], values: [Float](repeating: 0, count: 16))
        #expect(throws: CellForgeError.shapeMismatch(name: "Keras LSTM weights tensor recurrent_kernel", expected: "[2, 8]", actual: "[8, 2]")) {
            try KerasWeights.parameters(.lstm, from: file, as: Float.self)
        }
        // A PyTorch-shaped [G·H, D] weight where Keras expects [D, G·H]: 3 columns are not 4·H.
        file = good
        file["kernel"] = try Tensor(shape: [8, 3], values: [Float](repeating: 0, count: 24))
        #expect(throws: CellForgeError.shapeMismatch(name: "Keras LSTM weights tensor kernel", expected: "[D, 4·H]", actual: "[8, 3]")) {
            try KerasWeights.parameters(.lstm, from: file, as: Float.self)
        }
    }
}
