import CellForge
import Foundation

/// Generates every kernel a manifest names plus its registry, all or nothing.
public struct ManifestGenerator: Sendable {
    /// The manifest.
    public var manifest: KernelManifest
    /// The manifest as its users name it (a path relative to the package root, say).
    public var manifestName: String
    /// The regenerate command in each kernel's header.
    public var kernelCommand: @Sendable (KernelSpec) -> String
    /// The regenerate command in the registry's header and its not-found error.
    public var registryCommand: String

    /// A generator; the commands are what the generated headers will say.
    public init(manifest: KernelManifest, manifestName: String,
                kernelCommand: @escaping @Sendable (KernelSpec) -> String, registryCommand: String) {
        self.manifest = manifest
        self.manifestName = manifestName
        self.kernelCommand = kernelCommand
        self.registryCommand = registryCommand
    }

    /// The registry's source.
    public func registrySource() -> String {
        RegistryEmitter(manifest: manifest, manifestName: manifestName, regenerate: registryCommand).emit()
    }

    /// The file names `write` produces: one per kernel, then the registry.
    public var fileNames: [String] { manifest.kernels.map(\.fileName) + [KernelManifest.registryFileName] }

    /// Writes every file into `directory`. Each goes first into a staging folder inside
    /// `directory` through `KernelGenerator.write`; only when all are written are they renamed
    /// into place, so a failure before that leaves the old files untouched. Files of kernels
    /// no longer in the manifest are left alone.
    /// - Returns: the written files' URLs, in `fileNames` order.
    /// - Throws: `CellForgeError.invalidArgument` if `directory` is not a writable folder or a write fails.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CellForgeError.invalidArgument("output folder \(directory.path) does not exist or is not a folder")
        }
        let staging = directory.appendingPathComponent(".codegen-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw CellForgeError.invalidArgument("output folder \(directory.path) is not writable: \(error.localizedDescription)")
        }
        defer { try? fm.removeItem(at: staging) }
        for spec in manifest.kernels {
            try KernelGenerator.write(spec, regenerate: kernelCommand(spec), to: staging)
        }
        try KernelGenerator.write(registrySource(), named: KernelManifest.registryFileName, to: staging)
        return try fileNames.map { name in
            let target = directory.appendingPathComponent(name)
            // rename(2) replaces each target atomically: readers see the old file or the new one.
            guard rename(staging.appendingPathComponent(name).path, target.path) == 0 else {
                throw CellForgeError.invalidArgument("could not write \(target.path): \(String(cString: strerror(errno)))")
            }
            return target
        }
    }
}
