import CellForgeTestSupport
import Foundation
import Testing

/// As for `BatchDriver`: using one `ModelDriver` from two threads at once traps with a clear
/// message instead of corrupting memory. The misuse runs in a child process (`cellforge-misuse-probe model`).
@Suite struct ModelConcurrentMisuseTests {
    @Test func concurrentUseOfOneModelDriverTraps() throws {
        let r = try ChildProcess.run("cellforge-misuse-probe", ["model"])
        // A Swift trap ends the process by a signal (SIGILL); under AddressSanitizer, whose
        // runtime catches the signal and reports it, by exit status 1. Never by a success.
        #expect(r.reason == .uncaughtSignal || r.status != 0, "ended by exit status 0, not a trap: \(r.output)")
        #expect(r.error.contains("ModelDriver used from two threads at once"), "stderr: \(r.error)")
    }
}
