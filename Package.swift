// swift-tools-version: 6.3
import PackageDescription

// No package dependencies: the standard library, Foundation, Dispatch and the
// toolchain's test libraries only. No unsafeFlags either, so CellForge stays
// usable as a versioned dependency; pass target-CPU flags on the command line
// (see README, "Build flags").
let package = Package(
    name: "CellForge",
    products: [
        .library(name: "CellForge", targets: ["CellForge"]),
        .library(name: "CellForgeGen", targets: ["CellForgeGen"]),
        .library(name: "CellForgeKernels", targets: ["CellForgeKernels"]),
        .executable(name: "codegen", targets: ["codegen"]),
        .executable(name: "cellforge-train", targets: ["cellforge-train"]),
        .executable(name: "cellforge-model", targets: ["cellforge-model"]),
        // For downstream packages: generate the kernels a target's kernels.json lists at build
        // time (build-tool plugin), or into the target's folder to commit (command plugin).
        .plugin(name: "CellForgeKernelsPlugin", targets: ["CellForgeKernelsPlugin"]),
        .plugin(name: "GenerateKernels", targets: ["GenerateKernels"]),
    ],
    targets: [
        .target(name: "CellForge"),
        .target(name: "CellForgeGen", dependencies: ["CellForge"]),
        .executableTarget(name: "codegen", dependencies: ["CellForgeGen"]),
        .plugin(name: "CellForgeKernelsPlugin", capability: .buildTool(), dependencies: ["codegen"]),
        .plugin(name: "GenerateKernels",
                capability: .command(intent: .custom(verb: "generate-kernels",
                                                     description: "Generate the kernels listed in a target's kernels.json into its folder"),
                                     permissions: [.writeToPackageDirectory(reason: "writes the generated kernels beside kernels.json")]),
                dependencies: ["codegen"]),
        // The committed kernels, in three sets by purpose, each written with its registry by
        // `swift run codegen --manifest <its kernels.json>` and none in two sets:
        // Generated/: what the library's users, the examples and the driver and model tests open
        // (registry GeneratedKernels), kept small so the README's main job builds fast;
        .target(name: "CellForgeKernels", dependencies: ["CellForge"], path: "Generated",
                exclude: ["kernels.json", "Tests", "Benchmarks"]),
        // Generated/Tests/: the other widths and odd sizes the agreement tests run (registry
        // TestKernels). Not a product.
        .target(name: "CellForgeTestKernels", dependencies: ["CellForge"], path: "Generated/Tests", exclude: ["kernels.json"]),
        // Generated/Benchmarks/: the rest of the peer comparison grid, LSTM, GRU and RNN at
        // (D, H) = (1, 8), (8, 8), (16, 16), (1, 20), (32, 32), (64, 64) in Float at 256 and 512
        // bits (registry BenchmarkKernels). Not a product.
        .target(name: "CellForgeBenchmarkKernels", dependencies: ["CellForge"], path: "Generated/Benchmarks",
                exclude: ["kernels.json"]),
        // Benchmarks: the arithmetic (flop model, units, statistics, JSON schema, table, SVG)
        // in a small library with fast tests; the executable only measures.
        .target(name: "BenchmarkKit", path: "Benchmarks/Kit"),
        .executableTarget(name: "Benchmarks", dependencies: ["BenchmarkKit", "CellForge", "CellForgeKernels",
                                                             "CellForgeTestKernels", "CellForgeBenchmarkKernels"],
                          path: "Benchmarks/Runner"),
        .target(name: "CellForgeExamples", dependencies: ["CellForge", "CellForgeKernels"]),
        .executableTarget(name: "cellforge-train", dependencies: ["CellForgeExamples", "CellForgeKernels", "BenchmarkKit"],
                          path: "Sources/TrainExample"),
        .executableTarget(name: "cellforge-model", dependencies: ["CellForgeExamples"], path: "Sources/ModelExample"),
        .testTarget(name: "CellForgeTests", dependencies: ["CellForge"]),
        .testTarget(name: "CellForgeGenTests", dependencies: ["CellForgeGen"]),
        .testTarget(name: "CellForgeKernelsTests", dependencies: ["CellForgeKernels", "CellForgeTestKernels",
                                                                 "CellForgeBenchmarkKernels", "CellForgeGen"]),
        // Test support, not a product: runs a built executable as a child process, for the
        // driver and model tests.
        .target(name: "CellForgeTestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "CellForgeDriverTests", dependencies: ["CellForgeKernels", "CellForgeExamples", "CellForgeTestSupport"]),
        // Test support, not a product: misuses one BatchDriver (or, given `model`, one ModelDriver)
        // from two threads, which must trap; the ConcurrentMisuseTests of the driver and model
        // tests run it as a child process (built with the tests).
        .executableTarget(name: "cellforge-misuse-probe", dependencies: ["CellForge"], path: "Tests/MisuseProbe"),
        // Test support, not a product: loads one file with a chosen loader in a fresh process and
        // prints its peak memory, for the model and weights tests' memory bounds.
        .executableTarget(name: "cellforge-load-probe", dependencies: ["CellForge"], path: "Tests/LoadProbe"),
        // Test support, not a product: infers one long sequence in a fresh process and prints its
        // peak memory, for the driver and model tests' bound on inference memory.
        .executableTarget(name: "cellforge-inference-probe", dependencies: ["CellForge", "CellForgeKernels"],
                          path: "Tests/InferenceProbe"),
        .testTarget(name: "BenchmarkKitTests", dependencies: ["BenchmarkKit"]),
        .testTarget(name: "CellForgeModelTests", dependencies: ["CellForgeKernels", "CellForgeExamples", "CellForgeTestSupport"]),
    ]
)
