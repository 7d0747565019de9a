import CellForgeTestSupport
import Foundation
import Testing

/// Issue 14, finding 6: using one driver from two threads at once traps with a clear message
/// instead of corrupting memory. The misuse runs in a child process (`cellforge-misuse-probe`).
@Suite struct ConcurrentMisuseTests {
    @Test func concurrentUseOfOneDriverTraps() throws {
        let r = try ChildProcess.run("cellforge-misuse-probe")
        // A Swift trap ends the process by a signal (SIGILL); under AddressSanitizer, whose
        // runtime catches the signal and reports it, by exit status 1. Never by a success.
        #expect(r.reason == .uncaughtSignal || r.status != 0, "ended by exit status 0, not a trap: \(r.output)")
        #expect(r.error.contains("BatchDriver used from two threads at once"), "stderr: \(r.error)")
    }
}
