/// Runs `cellforge-inference-probe`, which infers one long sequence in a fresh process.
public enum InferenceProbe {
    struct OutputError: Error, CustomStringConvertible {
        var description: String
    }

    /// The probe's peak resident set in KiB after inferring one sequence of `steps` steps with
    /// `driver`, "model" (`ModelDriver`, LSTM 1→8, head 8→1) or "batch" (`BatchDriver`, LSTM 1→8).
    public static func peakKiB(_ driver: String, steps: Int) throws -> Int {
        let r = try ChildProcess.run("cellforge-inference-probe", [driver, String(steps)], timeout: 300)
        let prefix = "maxrss_kb "
        guard let line = r.output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
              let peak = Int(line.dropFirst(prefix.count)) else {
            throw OutputError(description: "inference probe printed no peak memory (status \(r.status), \(r.reason)): \(r.error)")
        }
        return peak
    }
}
