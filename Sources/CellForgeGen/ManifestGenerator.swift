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

    /// Writes every file into `directory`, all or nothing as far as the file system allows:
    ///
    /// 1. Every target is checked first: one that exists and is neither a regular file nor a
    ///    symbolic link (a folder, say) is refused before anything is written.
    /// 2. Leftover staging folders of killed runs are removed (`StagingFolder`).
    /// 3. Each file is written into a fresh staging folder inside `directory` through
    ///    `KernelGenerator.write`; a failure here leaves every old file untouched.
    /// 4. The files are renamed into place, kernels first and the registry last; each rename
    ///    replaces its target atomically. If one fails midway (the folder changed since step 1,
    ///    say), the run stops there: some kernels are new, the rest and the registry old, which
    ///    still compiles (every kernel the old registry names still exists); rerunning finishes.
    ///
    /// The staging folder is removed in every case. Files of kernels no longer in the manifest
    /// are left alone.
    /// - Returns: the written files' URLs, in `fileNames` order.
    /// - Throws: `CellForgeError.invalidArgument` if `directory` is not a writable folder, a
    ///   target cannot be replaced or a write fails.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CellForgeError.invalidArgument("output folder \(directory.path) does not exist or is not a folder")
        }
        let targets = fileNames.map { directory.appendingPathComponent($0) }
        for target in targets {
            var info = stat()
            guard lstat(target.path, &info) == 0, info.st_mode & S_IFMT != S_IFLNK,
                  let kind = RegularFile.nonRegularKind(info.st_mode) else { continue }
            throw CellForgeError.invalidArgument("cannot replace \(target.path): it is \(kind), not a regular file")
        }
        StagingFolder.removeStale(in: directory)
        let staging = try StagingFolder.create(in: directory)
        defer { try? fm.removeItem(at: staging) }
        for spec in manifest.kernels {
            try KernelGenerator.write(spec, regenerate: kernelCommand(spec), to: staging)
        }
        try KernelGenerator.write(registrySource(), named: KernelManifest.registryFileName, to: staging)
        for (name, target) in zip(fileNames, targets) {
            guard rename(staging.appendingPathComponent(name).path, target.path) == 0 else {
                throw CellForgeError.invalidArgument("could not write \(target.path): \(String(cString: strerror(errno)))")
            }
        }
        return targets
    }
}
