import CellForgeTestSupport
import Testing

/// Issue 14, finding 9: `cellforge-train --help` exits 0 with a real help text, bad arguments
/// exit 2, and an invalid worker count is a one-line error with status 1.
@Suite struct TrainCommandTests {
    @Test func helpExitsZero() throws {
        let r = try ChildProcess.run("cellforge-train", ["--help"])
        #expect(r.reason == .exit && r.status == 0, "status \(r.status): \(r.error)")
        for fragment in ["usage: cellforge-train", "--cell", "--epochs", "--workers", "--benchmark"] {
            #expect(r.output.contains(fragment), "help should mention \(fragment): \(r.output)")
        }
    }

    @Test func badArgumentsExitTwo() throws {
        let r = try ChildProcess.run("cellforge-train", ["--frobnicate"])
        #expect(r.status == 2 && r.error.contains("unknown option '--frobnicate'"), "\(r.error)")
    }

    @Test func tooManyWorkersIsAOneLineError() throws {
        let r = try ChildProcess.run("cellforge-train", ["--workers", "200000", "--epochs", "1"])
        #expect(r.status == 1 && r.error == "cellforge-train: invalid worker count 200000: must be between 1 and 4096\n",
                "\(r.error)")
    }
}
