import CellForge
import Foundation

/// The generator's entry points: source text for a spec, and writing it to a folder.
public enum KernelGenerator {
    /// The complete Swift source of the kernel for `spec`. Deterministic: the same spec and
    /// `regenerate` always give the same bytes.
    /// - Parameter regenerate: the command the header gives for regenerating the file
    ///   (default: `spec.command`, right for the default output folder).
    public static func source(for spec: KernelSpec, regenerate: String? = nil) -> String {
        KernelEmitter(spec: spec, regenerate: regenerate ?? spec.command).emit()
    }

    /// Writes the kernel for `spec` into `directory` atomically (see `write(_:named:to:)`).
    /// - Parameter regenerate: the header's regenerate command (default: `spec.command`).
    /// - Returns: the written file's URL.
    @discardableResult
    public static func write(_ spec: KernelSpec, regenerate: String? = nil, to directory: URL) throws -> URL {
        try write(source(for: spec, regenerate: regenerate), named: spec.fileName, to: directory)
    }

    /// Writes `text` as `directory/fileName` atomically with `AtomicFile.write(_:to:)` (a
    /// temporary file under a fresh random name, opened with O_EXCL | O_NOFOLLOW, then
    /// renamed), so a failure never leaves a partial file behind and a file or symbolic link
    /// planted in the folder is never written through. Every generated file (kernels and
    /// registries) is written here.
    /// - Returns: the written file's URL.
    /// - Throws: `CellForgeError.invalidArgument` if `directory` is not a writable folder or the write fails.
    @discardableResult
    public static func write(_ text: String, named fileName: String, to directory: URL) throws -> URL {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CellForgeError.invalidArgument("output folder \(directory.path) does not exist or is not a folder")
        }
        guard fm.isWritableFile(atPath: directory.path) else {
            throw CellForgeError.invalidArgument("output folder \(directory.path) is not writable")
        }
        let target = directory.appendingPathComponent(fileName)
        try AtomicFile.write(Data(text.utf8), to: target)
        return target
    }
}
