import CellForge
import CellForgeKernels
import Testing

/// The kernels generated for other targets (128- and 512-bit vectors) and the sizes that
/// exercise every padding case at every width (H5 D3, H13 D7, H20 D1): agreement with the
/// reference cell (outputs, final state, every gradient), gradient padding lanes exactly zero,
/// and batched runs equal to sequence-by-sequence runs bit for bit. Every target's kernels
/// run on every machine: Swift's SIMD types are portable (a SIMD16 is split where it must be).
@Suite struct WidthAgreementTests {
    static let floatKernels: [any RecurrentKernel] = [
        LSTM_H1_D2_Float_V128(), LSTM_H1_D2_Float_V512(), LSTM_H3_D5_Float_V128(), LSTM_H3_D5_Float_V512(),
        LSTM_H5_D3_Float_V128(), LSTM_H5_D3_Float(), LSTM_H5_D3_Float_V512(), LSTM_H8_D8_Float_V128(),
        LSTM_H8_D8_Float_V512(), LSTM_H13_D7_Float_V128(), LSTM_H13_D7_Float(), LSTM_H13_D7_Float_V512(),
        LSTM_H16_D1_Float_V128(), LSTM_H16_D1_Float_V512(), LSTM_H20_D1_Float_V128(), LSTM_H20_D1_Float(),
        LSTM_H20_D1_Float_V512(), LSTM_H32_D32_Float_V512(), LSTM_H64_D64_Float_V512(),
        GRU_H1_D3_Float_V128(), GRU_H1_D3_Float_V512(), GRU_H8_D8_Float_V128(), GRU_H8_D8_Float_V512(),
        GRU_H13_D7_Float_V128(), GRU_H13_D7_Float(), GRU_H13_D7_Float_V512(), GRU_H32_D32_Float_V512(),
        RNN_H3_D2_Float_V128(), RNN_H3_D2_Float_V512(), RNN_H8_D8_Float_V128(), RNN_H8_D8_Float_V512(),
        RNN_H20_D1_Float_V128(), RNN_H20_D1_Float(), RNN_H20_D1_Float_V512(), RNN_H32_D32_Float_V512(),
    ]
    static let doubleKernels: [any RecurrentKernel] = [
        LSTM_H5_D3_Double_V128(), LSTM_H5_D3_Double(), LSTM_H5_D3_Double_V512(), LSTM_H8_D8_Double_V128(),
        LSTM_H8_D8_Double_V512(), LSTM_H13_D7_Double_V128(), LSTM_H13_D7_Double(), LSTM_H13_D7_Double_V512(),
        LSTM_H20_D1_Double_V128(), LSTM_H20_D1_Double(), LSTM_H20_D1_Double_V512(), GRU_H3_D4_Double_V128(),
        GRU_H3_D4_Double_V512(), GRU_H13_D7_Double_V128(), GRU_H13_D7_Double(), GRU_H13_D7_Double_V512(),
        RNN_H20_D1_Double_V128(), RNN_H20_D1_Double(), RNN_H20_D1_Double_V512(),
    ]

    /// The same tolerance as `KernelAgreementTests.floatKernelMatchesReference`, for the same reasons.
    @Test(arguments: floatKernels) func floatKernelMatchesReference(_ kernel: any RecurrentKernel) throws {
        for (T, seed) in [(1, UInt64(11)), (7, 12), (24, 13)] {
            let outcome = try checkKernel(kernel, length: T, seed: seed)
            KernelAgreementTests().check(outcome, tolerance: 5e-6, "\(type(of: kernel)) T\(T)")
        }
    }

    /// The same tolerance as `KernelAgreementTests.doubleKernelMatchesReference`.
    @Test(arguments: doubleKernels) func doubleKernelMatchesReference(_ kernel: any RecurrentKernel) throws {
        for (T, seed) in [(1, UInt64(21)), (9, 22)] {
            let outcome = try checkKernel(kernel, length: T, seed: seed)
            KernelAgreementTests().check(outcome, tolerance: 1e-12, "\(type(of: kernel)) T\(T)")
        }
    }

    @Test(arguments: floatKernels + doubleKernels) func batchEqualsSequenceBySequence(_ kernel: any RecurrentKernel) {
        for count in [1, 3, 4, 7] { BatchAgreementTests().check(kernel, count: count) }
    }
}
