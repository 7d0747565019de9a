import Foundation
import PackagePlugin

/// Command plugin for people who commit generated code:
///
///     swift package --allow-writing-to-package-directory generate-kernels [--target NAME …]
///
/// runs `codegen --manifest` on each named target's `kernels.json` (every target that has one
/// when none is named), writing the kernels and `KernelRegistry.swift` beside the manifest.
/// Do not also apply CellForgeKernelsPlugin to such a target: it would define the types twice.
@main
struct GenerateKernels: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) throws {
        var extractor = ArgumentExtractor(arguments)
        let names = extractor.extractOption(named: "target")
        guard extractor.remainingArguments.isEmpty else {
            throw Failure("generate-kernels: unexpected arguments \(extractor.remainingArguments); usage: generate-kernels [--target NAME …]")
        }
        let targets = names.isEmpty ? context.package.targets : try context.package.targets(named: names)
        let root = context.package.directoryURL
        let withManifest = targets.compactMap { $0 as? SourceModuleTarget }.filter {
            FileManager.default.fileExists(atPath: $0.directoryURL.appendingPathComponent("kernels.json").path)
        }
        guard !withManifest.isEmpty else {
            throw Failure("generate-kernels: no target\(names.isEmpty ? "" : " among \(names)") has a kernels.json")
        }
        let codegen = try context.tool(named: "codegen").url
        for target in withManifest {
            let manifest = relative(target.directoryURL.appendingPathComponent("kernels.json"), to: root)
            let process = Process()
            process.executableURL = codegen
            process.currentDirectoryURL = root
            process.arguments = ["--manifest", manifest, "--regenerate-with",
                                 "swift package --allow-writing-to-package-directory generate-kernels --target \(target.name)"]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw Failure("generate-kernels: codegen failed for \(manifest) (status \(process.terminationStatus))")
            }
        }
    }

    /// `url`'s path relative to `base` when it lies inside it.
    func relative(_ url: URL, to base: URL) -> String {
        let path = url.standardizedFileURL.path, root = base.standardizedFileURL.path
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}

/// A one-line plugin error.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
