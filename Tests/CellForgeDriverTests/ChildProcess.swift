import Foundation

/// Runs an executable built next to the test bundle (same build folder) as a child process.
enum ChildProcess {
    struct Result {
        var status: Int32
        var reason: Process.TerminationReason
        var output: String
        var error: String
    }

    /// The path of the product `name` in the folder of the running test binary.
    static func product(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Runs product `name` with `arguments` and waits for it.
    static func run(_ name: String, _ arguments: [String] = []) throws -> Result {
        let process = Process()
        process.executableURL = product(name)
        process.arguments = arguments
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, reason: process.terminationReason,
                      output: String(decoding: output, as: UTF8.self), error: String(decoding: error, as: UTF8.self))
    }
}
