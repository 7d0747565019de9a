import Foundation
import PackagePlugin

/// Build-tool plugin: a target that applies it and holds a `kernels.json` kernel manifest gets
/// every kernel listed there, plus the registry, generated into the plugin work directory at
/// build time by `codegen --manifest`. The command reruns only when the manifest or `codegen`
/// changes.
@main
struct CellForgeKernelsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let manifest = target.directoryURL.appendingPathComponent("kernels.json")
        guard FileManager.default.fileExists(atPath: manifest.path) else {
            throw PluginFailure("target \(target.name) applies CellForgeKernelsPlugin but has no kernels.json in \(target.directoryURL.path)")
        }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("kernels")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let name = relativePath(manifest, to: context.package.directoryURL)
        return [.buildCommand(
            displayName: "Generating CellForge kernels from \(name)",
            executable: try context.tool(named: "codegen").url,
            arguments: ["--manifest", manifest.path, "--output", output.path,
                        "--regenerate-with", "swift build (CellForgeKernelsPlugin, from \(name))"],
            inputFiles: [manifest],
            outputFiles: outputFileNames(manifest).map { output.appendingPathComponent($0) })]
    }

    /// The files `codegen --manifest` writes: `<CELL>_H<h>_D<d>_<Scalar><suffix>.swift` per entry
    /// (CellForgeGen's `KernelSpec.fileName`; the suffix is `_V128`/`_V512` for widths other than
    /// 256 bits, plus `_R16`/`_R32` for a register count other than the width's usual one, as
    /// `KernelTarget.nameSuffix`) and `KernelRegistry.swift`. A manifest this cannot
    /// read yields the registry alone: codegen then runs and reports the problem in one line.
    func outputFileNames(_ manifest: URL) -> [String] {
        guard let data = try? Data(contentsOf: manifest),
              let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let entries = top["kernels"] as? [[String: Any]] else { return ["KernelRegistry.swift"] }
        // The platform default width, as KernelTarget.platformDefault (the plugin runs on the host).
        #if arch(arm64)
        let platformBits = 128
        #else
        let platformBits = 256
        #endif
        let manifestBits = (top["vectorBits"] as? Int) ?? platformBits
        var names: [String] = []
        for entry in entries {
            guard let cell = entry["cell"] as? String, let hidden = entry["hidden"] as? Int,
                  let input = entry["input"] as? Int else { continue }
            let scalar = (entry["scalar"] as? String) ?? "float"
            let bits = (entry["vectorBits"] as? Int) ?? manifestBits
            let usualRegisters = bits == 256 ? 16 : 32
            let registers = (entry["registers"] as? Int) ?? usualRegisters
            let suffix = (bits == 256 ? "" : "_V\(bits)") + (registers == usualRegisters ? "" : "_R\(registers)")
            names.append("\(cell.uppercased())_H\(hidden)_D\(input)_\(scalar.prefix(1).uppercased() + scalar.dropFirst())\(suffix).swift")
        }
        return names + ["KernelRegistry.swift"]
    }
}

/// `url`'s path relative to `base` when it lies inside it.
func relativePath(_ url: URL, to base: URL) -> String {
    let path = url.standardizedFileURL.path, root = base.standardizedFileURL.path
    return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
}

/// A one-line plugin error.
struct PluginFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
