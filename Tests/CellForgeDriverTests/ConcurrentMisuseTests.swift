import Foundation
import Testing

/// Issue 14, finding 6: using one driver from two threads at once traps with a clear message
/// instead of corrupting memory. The misuse runs in a child process (`cellforge-misuse-probe`).
@Suite struct ConcurrentMisuseTests {
    @Test func concurrentUseOfOneDriverTraps() throws {
        let r = try ChildProcess.run("cellforge-misuse-probe")
        // A Swift trap is SIGILL (or SIGTRAP) on Linux: the process ends by a signal, not exit.
        #expect(r.reason == .uncaughtSignal && [SIGILL, SIGTRAP].contains(r.status), "status \(r.status), \(r.output)")
        #expect(r.error.contains("BatchDriver used from two threads at once"), "stderr: \(r.error)")
    }
}
