import Foundation

/// The one way CellForge reads a whole file (model files, checkpoints, JSON models, kernel
/// manifests): only a regular file is read, so a named pipe, socket, device or folder given by
/// mistake is refused in one line instead of blocking or reading forever.
///
/// The file is opened with `O_NONBLOCK` (opening a FIFO that has no writer returns at once
/// instead of waiting), checked with `fstat`, and read in one buffer of the size `fstat`
/// reported: one allocation, no growing copies. A file that changes size while being read is
/// refused rather than returned in part.
public enum RegularFile {
    /// The contents of the regular file at `url`.
    /// - Parameter maximumSize: the most bytes accepted; a larger file is refused before it is read.
    /// - Throws: `CellForgeError.invalidArgument`, one line naming the path and what it is
    ///   (missing, a folder, a FIFO, …) or the step that failed and the system's reason.
    public static func read(_ url: URL, maximumSize: Int = .max) throws -> Data {
        func fail(_ step: String) -> CellForgeError {
            .invalidArgument("cannot read \(url.path): \(step) failed: \(String(cString: strerror(errno)))")
        }
        let fd = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw errno == ENOENT ? CellForgeError.invalidArgument("cannot read \(url.path): no such file") : fail("opening")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail("stat") }
        if let kind = nonRegularKind(info.st_mode) {
            throw CellForgeError.invalidArgument("cannot read \(url.path): it is \(kind), not a regular file")
        }
        let size = Int(info.st_size)
        guard size <= maximumSize else {
            throw CellForgeError.invalidArgument("cannot read \(url.path): its \(size) bytes exceed the limit of \(maximumSize)")
        }
        var data = Data(count: size)
        let done = try data.withUnsafeMutableBytes { raw -> Int in
            var done = 0
            while done < size {
                let n = Foundation.read(fd, raw.baseAddress! + done, size - done)
                if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                guard n >= 0 else { throw fail("reading") }
                if n == 0 { break }
                done += n
            }
            return done
        }
        var extra: UInt8 = 0
        guard done == size, Foundation.read(fd, &extra, 1) == 0 else {
            throw CellForgeError.invalidArgument("cannot read \(url.path): it changed size while being read (\(size) bytes when opened)")
        }
        return data
    }

    /// What a file of mode `mode` is, in words, unless it is a regular file.
    public static func nonRegularKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a folder"
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "not a file"
        }
    }
}
