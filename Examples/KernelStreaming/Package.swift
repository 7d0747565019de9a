// swift-tools-version: 6.3
import PackageDescription

// A downstream package: its own kernel sizes (Sources/kernel-stream/kernels.json) generated at
// build time by CellForge's build-tool plugin, nothing generated committed.
let package = Package(
    name: "KernelStreaming",
    dependencies: [
        .package(name: "CellForge", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "kernel-stream",
            dependencies: [.product(name: "CellForge", package: "CellForge")],
            plugins: [.plugin(name: "CellForgeKernelsPlugin", package: "CellForge")]
        ),
    ]
)
