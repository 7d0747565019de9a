import CellForge
import CellForgeKernels

/// The kernels the model tests need, behind `KernelRegistry` (stands in for the generated
/// registry of `codegen --manifest` until the branches merge).
enum TestRegistry: KernelRegistry {
    static var keys: [KernelKey] {
        [KernelKey(LSTM_H5_D3_Float.self), KernelKey(LSTM_H5_D5_Float.self), KernelKey(LSTM_H5_D3_Double.self),
         KernelKey(LSTM_H5_D5_Double.self), KernelKey(GRU_H7_D2_Float.self), KernelKey(GRU_H7_D2_Double.self),
         KernelKey(LSTM_H8_D1_Float.self), KernelKey(LSTM_H8_D8_Float.self), KernelKey(LSTM_H8_D8_Double.self),
         KernelKey(LSTM_H20_D1_Float.self), KernelKey(GRU_H12_D2_Float.self)]
    }

    @inlinable
    static func open<O: KernelOpener>(_ key: KernelKey, with opener: O) throws -> O.Result {
        switch (key.kind, key.hiddenSize, key.inputSize, key.scalar) {
        case (.lstm, 5, 3, .float): try opener.open(LSTM_H5_D3_Float())
        case (.lstm, 5, 5, .float): try opener.open(LSTM_H5_D5_Float())
        case (.lstm, 5, 3, .double): try opener.open(LSTM_H5_D3_Double())
        case (.lstm, 5, 5, .double): try opener.open(LSTM_H5_D5_Double())
        case (.gru, 7, 2, .float): try opener.open(GRU_H7_D2_Float())
        case (.gru, 7, 2, .double): try opener.open(GRU_H7_D2_Double())
        case (.lstm, 8, 1, .float): try opener.open(LSTM_H8_D1_Float())
        case (.lstm, 8, 8, .float): try opener.open(LSTM_H8_D8_Float())
        case (.lstm, 8, 8, .double): try opener.open(LSTM_H8_D8_Double())
        case (.lstm, 20, 1, .float): try opener.open(LSTM_H20_D1_Float())
        case (.gru, 12, 2, .float): try opener.open(GRU_H12_D2_Float())
        default:
            // Unreachable through `openLayers`, which checks `keys` first.
            throw CellForgeError.invalidArgument("TestRegistry cannot open \(key)")
        }
    }
}
