import CellForge
import Foundation

/// The generator's entry points: source text for a spec, and writing it to a folder.
public enum KernelGenerator {
    /// The complete Swift source of the kernel for `spec`. Deterministic: the same spec
    /// always gives the same bytes.
    public static func source(for spec: KernelSpec) -> String {
        KernelEmitter(spec: spec).emit()
    }

    /// Writes the kernel for `spec` into `directory` atomically (a temporary file in the same
    /// folder, then a rename), so a failure never leaves a partial file behind.
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
        let temporary = directory.appendingPathComponent(".\(spec.fileName).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(source(for: spec).utf8).write(to: temporary)
        } catch {
            try? fm.removeItem(at: temporary)
            throw CellForgeError.invalidArgument("could not write \(target.path): \(error.localizedDescription)")
        }
        // rename(2) replaces the target atomically: readers see the old file or the new one.
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? fm.removeItem(at: temporary)
            throw CellForgeError.invalidArgument("could not write \(target.path): \(reason)")
        }
        return target
    }
}
