import CellForge
import CellForgeKernels
import Testing

/// Every committed kernel agrees with the reference cell on random cases:
/// outputs, final state and every gradient.
@Suite struct KernelAgreementTests {
    static let floatKernels: [any RecurrentKernel] = [
        LSTM_H1_D2_Float(), LSTM_H2_D3_Float(), LSTM_H3_D5_Float(), LSTM_H8_D8_Float(), LSTM_H16_D1_Float(),
        LSTM_H32_D32_Float(), LSTM_H64_D64_Float(),
        RNN_H1_D1_Float(), RNN_H3_D2_Float(), RNN_H8_D8_Float(), RNN_H32_D32_Float(),
        GRU_H1_D3_Float(), GRU_H5_D3_Float(), GRU_H8_D8_Float(), GRU_H32_D32_Float(),
    ]
    static let doubleKernels: [any RecurrentKernel] = [LSTM_H8_D8_Double(), GRU_H3_D4_Double()]

    /// Float kernels: each output is a chain of about T·(H + D) multiply-adds whose rounding errors
    /// (ε = 6e-8) add up like a random walk, √(T·(H + D))·ε ≈ √(24·128)·6e-8 ≈ 3.3e-6 of the largest
    /// magnitude at H64 D64 T24; the vector tanh adds ≤ 3e-7 per activation. 5e-6 of each tensor's
    /// scale bounds both (measured: at most 7.3e-7); a wrong formula or lane shows up at 1e-3 or more.
    @Test(arguments: floatKernels) func floatKernelMatchesReference(_ kernel: any RecurrentKernel) throws {
        for (T, seed) in [(1, UInt64(11)), (7, 12), (24, 13)] {
            let outcome = try checkKernel(kernel, length: T, seed: seed)
            check(outcome, tolerance: 5e-6, "\(kernel.kind) H\(kernel.hiddenSize) D\(kernel.inputSize) T\(T)")
        }
    }

    /// Double kernels differ from the reference only in summation order and FMA contraction.
    @Test(arguments: doubleKernels) func doubleKernelMatchesReference(_ kernel: any RecurrentKernel) throws {
        for (T, seed) in [(1, UInt64(21)), (9, 22)] {
            let outcome = try checkKernel(kernel, length: T, seed: seed)
            check(outcome, tolerance: 1e-12, "\(kernel.kind) H\(kernel.hiddenSize) D\(kernel.inputSize) T\(T)")
        }
    }

    func check(_ outcome: KernelOutcome, tolerance: Double, _ what: String) {
        #expect(outcome.errors.count == 5)
        for (name, error) in outcome.errors.sorted(by: { $0.key < $1.key }) {
            #expect(error <= tolerance, "\(what) \(name): relative error \(error)")
        }
        #expect(outcome.paddingStayedZero, "\(what): gradient padding lanes changed")
    }
}
