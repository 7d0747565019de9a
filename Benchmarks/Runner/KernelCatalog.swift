import BenchmarkKit
import CellForge
import CellForgeKernels
import Foundation

/// One generated kernel the benchmark can run.
struct KernelEntry: Sendable {
    /// "LSTM_H8_D8_Float", "LSTM_H32_D32_Float_V512".
    let typeName: String
    let cell: Cell
    let hidden: Int
    let input: Int
    /// "float" / "double".
    let scalar: String
    /// Runs the suite on the kernel through a concrete call site (so everything specialises).
    let run: @Sendable (Suite) throws -> [BenchmarkResult]

    /// "LSTM H8 D8 Float".
    var displayName: String { typeName.replacingOccurrences(of: "_", with: " ") }

    init<K: GeneratedKernel>(_: K.Type) {
        let layout = K.layout
        typeName = String(describing: K.self)
        cell = Cell(rawValue: layout.kind.rawValue)!
        hidden = layout.hiddenSize
        input = layout.inputSize
        scalar = K.Scalar.typeName.lowercased()
        run = { try $0.run(K()) }
    }
}

/// Every kernel in Generated/ (BenchmarkKitTests checks that none is missing).
/// Order: LSTM, GRU, RNN; Float before Double; by H, D and vector width.
let kernelCatalog: [KernelEntry] = [
    KernelEntry(LSTM_H1_D2_Float_V128.self),
    KernelEntry(LSTM_H1_D2_Float.self),
    KernelEntry(LSTM_H1_D2_Float_V512.self),
    KernelEntry(LSTM_H2_D3_Float.self),
    KernelEntry(LSTM_H3_D5_Float_V128.self),
    KernelEntry(LSTM_H3_D5_Float.self),
    KernelEntry(LSTM_H3_D5_Float_V512.self),
    KernelEntry(LSTM_H5_D3_Float_V128.self),
    KernelEntry(LSTM_H5_D3_Float.self),
    KernelEntry(LSTM_H5_D3_Float_V512.self),
    KernelEntry(LSTM_H8_D8_Float_V128.self),
    KernelEntry(LSTM_H8_D8_Float.self),
    KernelEntry(LSTM_H8_D8_Float_V512.self),
    KernelEntry(LSTM_H13_D7_Float_V128.self),
    KernelEntry(LSTM_H13_D7_Float.self),
    KernelEntry(LSTM_H13_D7_Float_V512.self),
    KernelEntry(LSTM_H16_D1_Float_V128.self),
    KernelEntry(LSTM_H16_D1_Float.self),
    KernelEntry(LSTM_H16_D1_Float_V512.self),
    KernelEntry(LSTM_H20_D1_Float_V128.self),
    KernelEntry(LSTM_H20_D1_Float.self),
    KernelEntry(LSTM_H20_D1_Float_V512.self),
    KernelEntry(LSTM_H32_D32_Float.self),
    KernelEntry(LSTM_H32_D32_Float_V512.self),
    KernelEntry(LSTM_H64_D64_Float.self),
    KernelEntry(LSTM_H64_D64_Float_V512.self),
    KernelEntry(LSTM_H5_D3_Double_V128.self),
    KernelEntry(LSTM_H5_D3_Double.self),
    KernelEntry(LSTM_H5_D3_Double_V512.self),
    KernelEntry(LSTM_H8_D8_Double_V128.self),
    KernelEntry(LSTM_H8_D8_Double.self),
    KernelEntry(LSTM_H8_D8_Double_V512.self),
    KernelEntry(LSTM_H13_D7_Double_V128.self),
    KernelEntry(LSTM_H13_D7_Double.self),
    KernelEntry(LSTM_H13_D7_Double_V512.self),
    KernelEntry(LSTM_H20_D1_Double_V128.self),
    KernelEntry(LSTM_H20_D1_Double.self),
    KernelEntry(LSTM_H20_D1_Double_V512.self),
    KernelEntry(GRU_H1_D3_Float_V128.self),
    KernelEntry(GRU_H1_D3_Float.self),
    KernelEntry(GRU_H1_D3_Float_V512.self),
    KernelEntry(GRU_H5_D3_Float.self),
    KernelEntry(GRU_H8_D8_Float_V128.self),
    KernelEntry(GRU_H8_D8_Float.self),
    KernelEntry(GRU_H8_D8_Float_V512.self),
    KernelEntry(GRU_H13_D7_Float_V128.self),
    KernelEntry(GRU_H13_D7_Float.self),
    KernelEntry(GRU_H13_D7_Float_V512.self),
    KernelEntry(GRU_H32_D32_Float.self),
    KernelEntry(GRU_H32_D32_Float_V512.self),
    KernelEntry(GRU_H3_D4_Double_V128.self),
    KernelEntry(GRU_H3_D4_Double.self),
    KernelEntry(GRU_H3_D4_Double_V512.self),
    KernelEntry(GRU_H13_D7_Double_V128.self),
    KernelEntry(GRU_H13_D7_Double.self),
    KernelEntry(GRU_H13_D7_Double_V512.self),
    KernelEntry(RNN_H1_D1_Float.self),
    KernelEntry(RNN_H3_D2_Float_V128.self),
    KernelEntry(RNN_H3_D2_Float.self),
    KernelEntry(RNN_H3_D2_Float_V512.self),
    KernelEntry(RNN_H8_D8_Float_V128.self),
    KernelEntry(RNN_H8_D8_Float.self),
    KernelEntry(RNN_H8_D8_Float_V512.self),
    KernelEntry(RNN_H20_D1_Float_V128.self),
    KernelEntry(RNN_H20_D1_Float.self),
    KernelEntry(RNN_H20_D1_Float_V512.self),
    KernelEntry(RNN_H32_D32_Float.self),
    KernelEntry(RNN_H32_D32_Float_V512.self),
    KernelEntry(RNN_H20_D1_Double_V128.self),
    KernelEntry(RNN_H20_D1_Double.self),
    KernelEntry(RNN_H20_D1_Double_V512.self),
]
