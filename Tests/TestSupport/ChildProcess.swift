import Foundation

/// Runs an executable built next to the test bundle (same build folder) as a child process.
///
/// Output goes to temporary files, read after the child has exited, not to pipes: a pipe's
/// end of file can wait on any process that inherited its write end (a sanitizer's
/// symbolizer, or a child another test spawned at the same moment). Children run one at a
/// time, and one that outlives `timeout` is killed. Shared by the driver and model tests.
public enum ChildProcess {
    /// How the child ended and what it printed.
    public struct Result: Sendable {
        /// Exit status, or the signal number when `reason` is `.uncaughtSignal`.
        public var status: Int32
        /// A normal exit or a signal.
        public var reason: Process.TerminationReason
        /// Everything the child wrote to standard output.
        public var output: String
        /// Everything the child wrote to standard error.
        public var error: String
    }

    private static let lock = NSLock()

    /// The path of the product `name` in the folder of the running test binary.
    public static func product(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Runs product `name` with `arguments` and waits for it (at most `timeout` seconds).
    public static func run(_ name: String, _ arguments: [String] = [], timeout: TimeInterval = 120) throws -> Result {
        lock.lock()
        defer { lock.unlock() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (outURL, errURL) = (folder.appendingPathComponent("out"), folder.appendingPathComponent("err"))
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let (out, err) = (try FileHandle(forWritingTo: outURL), try FileHandle(forWritingTo: errURL))
        let process = Process()
        process.executableURL = product(name)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus, reason: process.terminationReason,
                      output: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      error: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
