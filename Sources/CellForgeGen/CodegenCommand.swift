import CellForge
import Foundation

/// The `codegen` command line: parsing, help, and running.
///
///     codegen --hidden H [--input D] [--cell lstm|rnn|gru] [--scalar float|double]
///             [--vector-bits 128|256|512] [--registers 16|32] [--output DIR]
///     codegen --manifest FILE [--output DIR] [--regenerate-with COMMAND]
public struct CodegenCommand: Equatable, Sendable {
    /// What to generate.
    public var spec: KernelSpec
    /// Folder to write into.
    public var output: String

    /// The output folder when none is given (for one kernel).
    public static let defaultOutput = "Generated"

    /// The help text.
    public static let usage = """
        usage: swift run codegen --hidden H [--input D] [--cell lstm|rnn|gru] [--scalar float|double]
                                 [--vector-bits 128|256|512] [--registers 16|32] [--output DIR]
               swift run codegen --manifest FILE [--output DIR]

        Emits one Swift file with a SIMD kernel specialised for the given cell and sizes,
        or, with --manifest, every kernel a kernel manifest lists plus its registry
        (\(KernelManifest.registryFileName)).

          --hidden H         hidden size, 1…\(KernelSpec.maximumSize) (required without --manifest)
          --input D          input size, 1…\(KernelSpec.maximumSize) (default: H)
          --cell C           lstm (default), rnn or gru
          --scalar S         float (default) or double
          --vector-bits N    widest vector: 128 (NEON), 256 (AVX2) or 512 (AVX-512)
                             (default on this platform: \(KernelTarget.platformDefault.vectorBits))
          --registers R      vector registers to plan for: 16 or 32 (default: 16 at 256 bits, else 32)
          --manifest F       a kernel manifest (JSON), e.g. Generated/kernels.json
          --output DIR       existing, writable folder to write into (default: Generated, or
                             the manifest's folder with --manifest)
          --regenerate-with COMMAND
                             with --manifest: what the headers say regenerates the files
                             (used by the CellForge plugins)
          --help             show this help

        Files are named after their types, e.g. LSTM_H8_D8_Float.swift (256 bits) or
        LSTM_H8_D8_Float_V512.swift (other widths get a suffix), and written
        atomically: an existing file is replaced only by a complete new one, and with
        --manifest no file is replaced unless every file could be written.
        """

    /// What the command line asked for: one kernel, a manifest, or help.
    public enum Request: Equatable, Sendable {
        case generate(CodegenCommand)
        case manifest(ManifestCommand)
        case help
    }

    /// Parses arguments (without the program name).
    /// - Throws: `CellForgeError` with a one-line message naming the problem.
    public static func parse(_ arguments: [String]) throws -> Request {
        var values: [String: String] = [:]
        var rest = arguments[...]
        let known = ["--hidden", "--input", "--cell", "--scalar", "--vector-bits", "--registers", "--output",
                     "--manifest", "--regenerate-with"]
        while let argument = rest.popFirst() {
            if argument == "--help" || argument == "-h" { return .help }
            var name = argument, value: String?
            if let eq = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<eq])
                value = String(argument[argument.index(after: eq)...])
            }
            guard known.contains(name) else {
                throw CellForgeError.invalidArgument(argument.hasPrefix("-") ? "unknown option '\(name)'"
                                                     : "unexpected argument '\(argument)'")
            }
            guard values[name] == nil else { throw CellForgeError.invalidArgument("option \(name) given more than once") }
            if value == nil {
                guard let next = rest.popFirst(), !next.hasPrefix("--") else {
                    throw CellForgeError.invalidArgument("option \(name) needs a value")
                }
                value = next
            }
            values[name] = value
        }
        if let output = values["--output"], output.isEmpty { throw CellForgeError.invalidArgument("--output needs a folder") }
        if let manifest = values["--manifest"] {
            if let option = ["--hidden", "--input", "--cell", "--scalar", "--vector-bits", "--registers"]
                .first(where: { values[$0] != nil }) {
                throw CellForgeError.invalidArgument("\(option) cannot be combined with --manifest: the manifest lists the kernels")
            }
            guard !manifest.isEmpty else { throw CellForgeError.invalidArgument("--manifest needs a file") }
            return .manifest(ManifestCommand(manifest: manifest, output: values["--output"],
                                             regenerateWith: values["--regenerate-with"]))
        }
        if values["--regenerate-with"] != nil {
            throw CellForgeError.invalidArgument("--regenerate-with needs --manifest")
        }
        guard let hiddenText = values["--hidden"] else {
            throw CellForgeError.invalidArgument("missing --hidden H (the hidden size) or --manifest FILE; see --help")
        }
        let hidden = try size(hiddenText, "--hidden")
        let input = try values["--input"].map { try size($0, "--input") } ?? hidden
        let cellText = values["--cell"] ?? "lstm"
        guard let cell = CellKind(rawValue: cellText) else {
            throw CellForgeError.invalidArgument("unknown cell '\(cellText)' for --cell: use lstm, rnn or gru")
        }
        let scalarText = values["--scalar"] ?? "float"
        guard let scalar = ScalarType(rawValue: scalarText) else {
            throw CellForgeError.invalidArgument("unknown scalar '\(scalarText)' for --scalar: use float or double")
        }
        let target = try parseTarget(bits: values["--vector-bits"], registers: values["--registers"])
        let spec = try KernelSpec(cell: cell, hiddenSize: hidden, inputSize: input, scalar: scalar, target: target)
        return .generate(CodegenCommand(spec: spec, output: values["--output"] ?? defaultOutput))
    }

    /// The command that regenerates `spec` into `output` from the package root: `spec.command`,
    /// plus `--output` unless `output` is the default folder.
    public static func kernelCommand(_ spec: KernelSpec, output: String) -> String {
        sameFolder(output, defaultOutput) ? spec.command : spec.command + " --output " + shellQuoted(output)
    }

    /// Whether two folder names name the same folder ("Generated/" and "./Generated" do).
    static func sameFolder(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).standardized.path == URL(fileURLWithPath: b).standardized.path
    }

    /// `text` quoted for a POSIX shell when it holds anything but safe characters.
    static func shellQuoted(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./+=:,@%")
        return text.allSatisfy(safe.contains) ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private static func parseTarget(bits: String?, registers: String?) throws -> KernelTarget {
        let vectorBits = try bits.map { text in
            guard let n = Int(text), KernelTarget.supportedVectorBits.contains(n) else {
                throw CellForgeError.invalidArgument("--vector-bits must be 128, 256 or 512, got '\(text)'")
            }
            return n
        } ?? KernelTarget.platformDefault.vectorBits
        let count = try registers.map { text in
            guard let n = Int(text), KernelTarget.supportedRegisters.contains(n) else {
                throw CellForgeError.invalidArgument("--registers must be 16 or 32, got '\(text)'")
            }
            return n
        }
        let platform = KernelTarget.platformDefault
        return try KernelTarget(vectorBits: vectorBits,
                                registers: count ?? (bits == nil ? platform.registers : nil))
    }

    private static func size(_ text: String, _ option: String) throws -> Int {
        guard let n = Int(text), (1...KernelSpec.maximumSize).contains(n) else {
            throw CellForgeError.invalidArgument(
                "\(option) must be a whole number from 1 to \(KernelSpec.maximumSize), got '\(text)'")
        }
        return n
    }

    /// Runs the command line and returns the process exit status: 0 on success, 2 for bad
    /// arguments or a bad manifest, 1 if a file could not be written. Messages go to `out` and `err`.
    public static func run(_ arguments: [String], out: (String) -> Void, err: (String) -> Void) -> Int32 {
        let request: Request
        do {
            request = try parse(arguments)
        } catch {
            err("codegen: error: \(error)")
            return 2
        }
        switch request {
        case .help:
            out(usage)
            return 0
        case let .manifest(command):
            return command.run(out: out, err: err)
        case let .generate(command):
            do {
                let url = try KernelGenerator.write(command.spec, regenerate: kernelCommand(command.spec, output: command.output),
                                                    to: URL(fileURLWithPath: command.output, isDirectory: true))
                out("wrote \(command.output.hasSuffix("/") ? command.output : command.output + "/")\(url.lastPathComponent) (type \(command.spec.typeName))")
                return 0
            } catch {
                err("codegen: error: \(error)")
                return 1
            }
        }
    }
}
