// swift-tools-version: 6.2
import PackageDescription

// No package dependencies: the standard library, Foundation, Dispatch and the
// toolchain's test libraries only. No unsafeFlags either, so CellForge stays
// usable as a versioned dependency; pass target-CPU flags on the command line
// (see README, "Build flags").
let package = Package(
    name: "CellForge",
    products: [
        .library(name: "CellForge", targets: ["CellForge"]),
    ],
    targets: [
        .target(name: "CellForge"),
        .executableTarget(name: "cellforge-example", dependencies: ["CellForge"], path: "Sources/Example"),
        .testTarget(name: "CellForgeTests", dependencies: ["CellForge"]),
    ]
)
