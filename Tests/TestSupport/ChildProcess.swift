import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs an executable built next to the test bundle (same build folder) as a child process,
/// with `posix_spawn` and `waitpid` (Foundation's `Process` left a child unreaped under
/// AddressSanitizer, hanging the test).
///
/// Output goes to temporary files read after the child has exited, not to pipes, whose end
/// of file can wait on any process that inherited the write end (a sanitizer's symbolizer).
/// Children run one at a time; one that outlives `timeout` is killed. Shared by the driver
/// and model tests.
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

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    private static let lock = NSLock()

    /// The path of the product `name` in the folder of the running test binary.
    public static func product(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Runs product `name` with `arguments` and waits for it (at most `timeout` seconds).
    /// `status` is the exit status, or the signal's number when `reason` is `.uncaughtSignal`.
    public static func run(_ name: String, _ arguments: [String] = [], timeout: TimeInterval = 120) throws -> Result {
        lock.lock()
        defer { lock.unlock() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (outPath, errPath) = (folder.appendingPathComponent("out").path, folder.appendingPathComponent("err").path)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let path = product(name).path
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw SpawnError(description: "cannot run \(path): \(String(cString: strerror(spawned)))") }

        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            usleep(20_000)
        }
        let signal = status & 0x7f
        return Result(status: signal == 0 ? (status >> 8) & 0xff : signal, reason: signal == 0 ? .exit : .uncaughtSignal,
                      output: String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(), as: UTF8.self),
                      error: String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(), as: UTF8.self))
    }
}
