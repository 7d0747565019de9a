import BenchmarkKit
import CellForge
import CellForgeBenchmarkKernels
import CellForgeKernels
import CellForgeTestKernels
import Foundation

/// One generated kernel the benchmark can run.
struct KernelEntry: Sendable {
    /// "LSTM_H8_D8_Float", "LSTM_H32_D32_Float_V512": the kernel's own type name.
    let typeName: String
    /// The registry that holds it: "GeneratedKernels", "TestKernels" or "BenchmarkKernels".
    let registry: String
    let cell: Cell
    let hidden: Int
    let input: Int
    /// "float" / "double".
    let scalar: String
    /// Bits of the widest vector the kernel uses (128, 256 or 512).
    let vectorBits: Int
    /// Runs the suite on the kernel through a concrete call site (so everything specialises).
    let run: @Sendable (Suite) throws -> [BenchmarkResult]
    /// Times the kernel and `RuntimeKernel` of the same sizes (`--runtime`), each through a concrete call site.
    let compareRuntime: @Sendable (Stopwatch, Options) -> (generated: RuntimeTimings, runtime: RuntimeTimings)

    /// "LSTM H8 D8 Float", "LSTM H32 D32 Float V512".
    var displayName: String { typeName.replacingOccurrences(of: "_", with: " ") }

    init<K: GeneratedKernel>(_: K.Type, registry: String) {
        let layout = K.layout
        typeName = String(describing: K.self)
        self.registry = registry
        cell = Cell(rawValue: layout.kind.rawValue)!
        hidden = layout.hiddenSize
        input = layout.inputSize
        scalar = K.Scalar.typeName.lowercased()
        vectorBits = KernelKey(K.self).vectorBits ?? 256
        run = { try $0.run(K()) }
        compareRuntime = { stopwatch, options in
            let p = try! CellParameters<K.Scalar>.random(kind: layout.kind, hiddenSize: layout.hiddenSize,
                                                         inputSize: layout.inputSize, seed: 2)
            let runtime = try! RuntimeKernel<K.Scalar>(kind: layout.kind, hiddenSize: layout.hiddenSize, inputSize: layout.inputSize)
            return (RuntimeTimings.measure(K(), p, stopwatch, options), RuntimeTimings.measure(runtime, p, stopwatch, options))
        }
    }
}

/// Makes the catalog entry of the kernel the registry hands it.
struct CatalogEntryOpener: KernelOpener {
    let registry: String
    func open<K: GeneratedKernel>(_: K) -> KernelEntry { KernelEntry(K.self, registry: registry) }
}

/// Every kernel of `registry`, in its manifest's order, each entry's `run` specialised for its kernel.
func catalogEntries<R: KernelRegistry>(_ registry: R.Type) -> [KernelEntry] {
    let name = String(describing: R.self)
    // The registry holds every one of its own keys, so this cannot throw.
    return R.keys.map { try! R.open($0, with: CatalogEntryOpener(registry: name)) }
}

/// Every committed kernel, registry by registry (see README, "Where the kernels live"):
/// `GeneratedKernels` (Generated/kernels.json: what the examples use), `TestKernels`
/// (Generated/Tests/kernels.json: other widths and odd sizes) and `BenchmarkKernels`
/// (Generated/Benchmarks/kernels.json: the rest of the peer comparison grid).
let kernelCatalog: [KernelEntry] = catalogEntries(GeneratedKernels.self) + catalogEntries(TestKernels.self)
    + catalogEntries(BenchmarkKernels.self)
