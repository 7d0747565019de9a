import CellForge
import Foundation

/// `codegen --manifest FILE [--output DIR] [--regenerate-with COMMAND]`: every kernel the
/// manifest lists plus its registry.
public struct ManifestCommand: Equatable, Sendable {
    /// The manifest's path, as given.
    public var manifest: String
    /// The output folder as given, or nil for the manifest's own folder.
    public var output: String?
    /// What the headers say regenerates the files, or nil for the codegen commands that do.
    public var regenerateWith: String?

    /// A command.
    public init(manifest: String, output: String?, regenerateWith: String?) {
        self.manifest = manifest
        self.output = output
        self.regenerateWith = regenerateWith
    }

    /// The folder written into: `output`, or the manifest's folder.
    public var outputFolder: String {
        if let output { return output }
        let folder = (manifest as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// The generator with the headers this command line gives: run from the folder `codegen`
    /// ran in, each kernel's header regenerates that kernel into the same folder and the
    /// registry's header regenerates everything.
    public func generator(for manifest: KernelManifest) -> ManifestGenerator {
        let folder = outputFolder
        var registryCommand = "swift run codegen --manifest " + CodegenCommand.shellQuoted(self.manifest)
        if let output, !CodegenCommand.sameFolder(output, (self.manifest as NSString).deletingLastPathComponent) {
            registryCommand += " --output " + CodegenCommand.shellQuoted(output)
        }
        let fixed = regenerateWith
        return ManifestGenerator(manifest: manifest, manifestName: self.manifest,
                                 kernelCommand: { fixed ?? CodegenCommand.kernelCommand($0, output: folder) },
                                 registryCommand: fixed ?? registryCommand)
    }

    /// Reads the manifest and writes the files; returns the exit status (0, 2 for a bad
    /// manifest, 1 if the files could not be written).
    public func run(out: (String) -> Void, err: (String) -> Void) -> Int32 {
        let parsed: KernelManifest
        do {
            parsed = try KernelManifest.load(from: URL(fileURLWithPath: manifest))
        } catch {
            err("codegen: error: \(error)")
            return 2
        }
        do {
            let urls = try generator(for: parsed).write(to: URL(fileURLWithPath: outputFolder, isDirectory: true))
            let folder = outputFolder.hasSuffix("/") ? outputFolder : outputFolder + "/"
            out("wrote \(urls.count - 1) kernels and \(folder)\(KernelManifest.registryFileName) (registry \(parsed.registryName)) from \(manifest)")
            return 0
        } catch {
            err("codegen: error: \(error)")
            return 1
        }
    }
}
