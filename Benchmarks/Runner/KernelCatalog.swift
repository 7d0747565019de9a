import BenchmarkKit
import CellForge
import CellForgeKernels
import Foundation

/// One generated kernel the benchmark can run.
struct KernelEntry: Sendable {
    /// "LSTM_H8_D8_Float".
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
        typeName = "\(layout.kind.displayName)_H\(layout.hiddenSize)_D\(layout.inputSize)_\(K.Scalar.typeName)"
        cell = Cell(rawValue: layout.kind.rawValue)!
        hidden = layout.hiddenSize
        input = layout.inputSize
        scalar = K.Scalar.typeName.lowercased()
        run = { try $0.run(K()) }
    }
}

/// Every kernel in Generated/ (BenchmarkKitTests checks that none is missing).
/// Order: LSTM, GRU, RNN; Float before Double; by H.
let kernelCatalog: [KernelEntry] = [
    KernelEntry(LSTM_H1_D2_Float.self),
    KernelEntry(LSTM_H2_D3_Float.self),
    KernelEntry(LSTM_H3_D5_Float.self),
    KernelEntry(LSTM_H5_D3_Float.self),
    KernelEntry(LSTM_H5_D5_Float.self),
    KernelEntry(LSTM_H8_D1_Float.self),
    KernelEntry(LSTM_H8_D8_Float.self),
    KernelEntry(LSTM_H16_D1_Float.self),
    KernelEntry(LSTM_H20_D1_Float.self),
    KernelEntry(LSTM_H32_D32_Float.self),
    KernelEntry(LSTM_H64_D64_Float.self),
    KernelEntry(LSTM_H5_D3_Double.self),
    KernelEntry(LSTM_H5_D5_Double.self),
    KernelEntry(LSTM_H8_D8_Double.self),
    KernelEntry(GRU_H1_D3_Float.self),
    KernelEntry(GRU_H5_D3_Float.self),
    KernelEntry(GRU_H7_D2_Float.self),
    KernelEntry(GRU_H8_D8_Float.self),
    KernelEntry(GRU_H12_D2_Float.self),
    KernelEntry(GRU_H32_D32_Float.self),
    KernelEntry(GRU_H3_D4_Double.self),
    KernelEntry(GRU_H7_D2_Double.self),
    KernelEntry(RNN_H1_D1_Float.self),
    KernelEntry(RNN_H3_D2_Float.self),
    KernelEntry(RNN_H8_D8_Float.self),
    KernelEntry(RNN_H32_D32_Float.self),
]
