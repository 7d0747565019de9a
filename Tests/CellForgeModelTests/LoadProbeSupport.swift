import CellForge
import CellForgeTestSupport
import Foundation
import Testing

/// Runs `cellforge-load-probe` (Tests/LoadProbe) on one file in a fresh process, so a loader's
/// peak memory can be bounded and a loader that blocks hangs only the child, which is killed.
enum LoadProbe {
    /// What the probe printed: "loaded" or "refused: …", its peak resident set in KiB, and
    /// whether it runs under a sanitizer (whose allocator's memory no bound describes).
    struct Outcome {
        var result: String
        var peakKiB: Int
        var sanitized: Bool
    }

    /// Loads `url` with the probe's loader `format`, waiting at most `timeout` seconds.
    /// Records an issue (and returns nil) when the probe did not exit normally in time.
    static func run(_ format: String, _ url: URL, timeout: TimeInterval = 60,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome? {
        let r = try ChildProcess.run("cellforge-load-probe", [format, url.path], timeout: timeout)
        guard r.reason == .exit, r.status == 0 else {
            let ending = r.reason == .exit ? "exit status" : "signal"
            let message = "probe \(format) \(url.path) ended by \(ending) \(r.status) (killed after \(timeout) s if it blocked): "
                + "\(r.output) \(r.error)"
            Issue.record("\(message)", sourceLocation: sourceLocation)
            return nil
        }
        let lines = r.output.split(separator: "\n").map(String.init)
        guard lines.count == 2 || lines.count == 3 && lines[2] == "sanitizer yes",
              let peak = lines[1].split(separator: " ").last.flatMap({ Int($0) }) else {
            Issue.record("unexpected probe output: \(r.output)", sourceLocation: sourceLocation)
            return nil
        }
        return Outcome(result: lines[0], peakKiB: peak, sanitized: lines.count == 3)
    }

    /// A fresh temporary folder.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
