import CellForge
import Foundation

/// The generator's entry points: source text for a spec, and writing it to a folder.
public enum KernelGenerator {
    /// The complete Swift source of the kernel for `spec`. Deterministic: the same spec
    /// always gives the same bytes.
    public static func source(for spec: KernelSpec) -> String {
        KernelEmitter(spec: spec).emit()
    }

    /// Writes the kernel for `spec` into `directory` atomically with `AtomicFile.write(_:to:)`
    /// (a temporary file under a fresh random name, opened with O_EXCL | O_NOFOLLOW, then
    /// renamed), so a failure never leaves a partial file behind and a file or symbolic link
    /// planted in the folder is never written through.
    /// - Returns: the written file's URL.
    /// - Throws: `CellForgeError.invalidArgument` if `directory` is not a writable folder or the write fails.
    @discardableResult
    public static func write(_ spec: KernelSpec, to directory: URL) throws -> URL {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CellForgeError.invalidArgument("output folder \(directory.path) does not exist or is not a folder")
        }
        guard fm.isWritableFile(atPath: directory.path) else {
            throw CellForgeError.invalidArgument("output folder \(directory.path) is not writable")
        }
        let target = directory.appendingPathComponent(spec.fileName)
        try AtomicFile.write(Data(source(for: spec).utf8), to: target)
        return target
    }
}
