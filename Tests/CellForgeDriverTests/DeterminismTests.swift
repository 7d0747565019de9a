import CellForge
import CellForgeKernels
import Testing

/// Results do not depend on the worker count: parameters after several training
/// steps (Adam, clipping active) and inference outputs are bit-identical for 1, 2, 3
/// and 8 workers, with unequal lengths and more chunks than workers.
@Suite struct DeterminismTests {
    static let lengths = [9, 3, 0, 14, 6, 1, 11, 8, 0, 5, 12, 2, 7, 10, 4, 13, 6, 3, 9, 1, 15]

    @Test(arguments: [LSTM_H8_D8_Float(), GRU_H5_D3_Float()] as [any RecurrentKernel])
    func bitIdenticalForAnyWorkerCount(_ kernel: any RecurrentKernel) throws {
        try check(kernel)
    }

    func check<K: RecurrentKernel>(_ kernel: K) throws {
        let c = try DriverTestSupport.randomCase(kernel.kind, hidden: kernel.hiddenSize, input: kernel.inputSize,
                                                 lengths: Self.lengths, seed: 77, as: K.Scalar.self)
        var runs: [(bits: [UInt64], losses: [Double], outputs: [UInt64], states: [UInt64])] = []
        for workers in [1, 2, 3, 8] {
            let driver = try BatchDriver(kernel: kernel, parameters: c.parameters, workerCount: workers, sequencesPerChunk: 2)
            var adam = try Adam<K.Scalar>(learningRate: 0.01)
            let clipping = try GradientClipping(maxNorm: 1)
            var losses: [Double] = []
            for _ in 0..<3 {
                let r = try driver.train(c.batch, initialStates: c.initialStates, supervision: .l2(targets: c.targets),
                                         optimizer: &adam, clipping: clipping)
                #expect(r.applied && r.clipped)
                losses.append(r.loss!)
            }
            var states = c.initialStates
            let outputs = try driver.infer(c.batch, states: &states)
            runs.append((DriverTestSupport.storageBits(driver), losses, DriverTestSupport.bits(outputs), DriverTestSupport.bits(states)))
        }
        for run in runs.dropFirst() {
            #expect(run.bits == runs[0].bits, "\(kernel.kind) H\(kernel.hiddenSize): parameters differ between worker counts")
            #expect(run.losses == runs[0].losses)
            #expect(run.outputs == runs[0].outputs && run.states == runs[0].states)
        }
        #expect(runs[0].losses[2] < runs[0].losses[0], "training moved downhill")
    }
}
