import CellForgeTestSupport
import Foundation
import Testing

/// As for `BatchDriver`: using one `ModelDriver` from two threads at once traps with a clear
/// message instead of corrupting memory. The misuse runs in a child process (`cellforge-misuse-probe model`).
@Suite struct ModelConcurrentMisuseTests {
    @Test func concurrentUseOfOneModelDriverTraps() throws {
        let r = try ChildProcess.run("cellforge-misuse-probe", ["model"])
        // A Swift trap ends the process by a signal (SIGILL; under a sanitizer, whose runtime
        // handles the trap first, possibly another one), never by a normal exit.
        #expect(r.reason == .uncaughtSignal, "ended by exit status \(r.status), not a trap: \(r.output)")
        #expect(r.error.contains("ModelDriver used from two threads at once"), "stderr: \(r.error)")
    }
}
