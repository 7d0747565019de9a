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

/// Makes the catalog entry of the kernel the registry hands it.
struct CatalogEntryOpener: KernelOpener {
    func open<K: GeneratedKernel>(_: K) -> KernelEntry { KernelEntry(K.self) }
}

/// Every kernel in Generated/kernels.json, in manifest order (LSTM, GRU, RNN; Float before
/// Double; by H), through the generated registry: each entry's `run` is specialised for its kernel.
let kernelCatalog: [KernelEntry] = GeneratedKernels.keys.map { key in
    // The registry holds every one of its own keys, so this cannot throw.
    try! GeneratedKernels.open(key, with: CatalogEntryOpener())
}
