import CellForge
import CellForgeBenchmarkKernels
import CellForgeKernels
import CellForgeTestKernels

/// Every committed kernel, as one registry for the tests that enumerate kernels: the three
/// kernel sets (Generated/kernels.json, Generated/Tests/kernels.json and
/// Generated/Benchmarks/kernels.json), which hold no kernel twice.
enum CommittedKernels: KernelRegistry {
    /// One committed kernel set: its registry's name, its manifest (relative to the package
    /// root) and its keys.
    struct KernelSet: Sendable {
        let registry: String
        let manifest: String
        let keys: [KernelKey]
    }

    static let sets = [
        KernelSet(registry: "GeneratedKernels", manifest: "Generated/kernels.json", keys: GeneratedKernels.keys),
        KernelSet(registry: "TestKernels", manifest: "Generated/Tests/kernels.json", keys: TestKernels.keys),
        KernelSet(registry: "BenchmarkKernels", manifest: "Generated/Benchmarks/kernels.json", keys: BenchmarkKernels.keys),
    ]

    /// Every kernel of every set, set by set in manifest order.
    static let keys = sets.flatMap(\.keys)

    /// Opens `key` in the set that holds it; a key without a width resolves among all sets'
    /// kernels first, so it takes the same width a single registry of every kernel would.
    static func open<O: KernelOpener>(_ key: KernelKey, with opener: O) throws -> O.Result {
        let exact = key.resolved(among: keys) ?? key
        if TestKernels.keys.contains(exact) { return try TestKernels.open(exact, with: opener) }
        if BenchmarkKernels.keys.contains(exact) { return try BenchmarkKernels.open(exact, with: opener) }
        return try GeneratedKernels.open(exact, with: opener)  // holds it, or names what there is
    }
}
