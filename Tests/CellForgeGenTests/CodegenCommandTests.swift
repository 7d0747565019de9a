import CellForge
import CellForgeGen
import Foundation
import Testing

/// The command line: defaults, help, and every bad argument gives one line and a non-zero
/// status without leaving any file behind.
@Suite struct CodegenCommandTests {
    /// Runs the command in a fresh temporary folder; returns status, stdout, stderr and the folder's files after.
    func run(_ arguments: [String], output: String? = nil) throws -> (Int32, String, String, [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var out = "", err = ""
        let status = CodegenCommand.run(arguments + ["--output", output ?? folder.path],
                                        out: { out += $0 + "\n" }, err: { err += $0 + "\n" })
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        return (status, out, err, files)
    }

    @Test func defaultsAndOutput() throws {
        let (status, out, err, files) = try run(["--hidden", "8"])
        let name = "LSTM_H8_D8_Float" + KernelTarget.platformDefault.nameSuffix
        #expect(status == 0 && err.isEmpty)
        #expect(files == [name + ".swift"])
        #expect(out.contains(name + ".swift") && out.contains("type \(name)"))
        guard case let .generate(c) = try CodegenCommand.parse(["--hidden", "8"]) else { Issue.record("not generate"); return }
        #expect(c.spec == (try KernelSpec(cell: .lstm, hiddenSize: 8, inputSize: 8, scalar: .float)))
        #expect(c.output == "Generated")
    }

    @Test func allOptions() throws {
        let (status, _, _, files) = try run(["--hidden=3", "--input", "5", "--cell", "gru", "--scalar", "double"])
        #expect(status == 0)
        #expect(files == ["GRU_H3_D5_Double.swift"])
    }

    /// The width picks the target and the name: 256-bit kernels keep the plain name, others a
    /// suffix, so several widths of one size can live in one package.
    @Test func vectorWidths() throws {
        for (arguments, name, bits, registers) in [
            (["--vector-bits", "256"], "LSTM_H8_D8_Float", 256, 16),
            (["--vector-bits", "512"], "LSTM_H8_D8_Float_V512", 512, 32),
            (["--vector-bits", "128"], "LSTM_H8_D8_Float_V128", 128, 32),
            (["--vector-bits", "128", "--registers", "16"], "LSTM_H8_D8_Float_V128_R16", 128, 16),
            (["--vector-bits=256", "--registers", "32"], "LSTM_H8_D8_Float_R32", 256, 32),
        ] {
            let (status, _, err, files) = try run(["--hidden", "8"] + arguments)
            #expect(status == 0 && err.isEmpty && files == [name + ".swift"], "\(arguments)")
            guard case let .generate(c) = try CodegenCommand.parse(["--hidden", "8"] + arguments) else { continue }
            #expect(c.spec.target.vectorBits == bits && c.spec.target.registers == registers)
            #expect(c.spec.layout.vectorWidth == bits / 32)
            #expect(c.spec.command.contains("--vector-bits \(bits)"), "the header command names the width")
        }
        guard case let .generate(c) = try CodegenCommand.parse(["--hidden", "8", "--scalar", "double", "--vector-bits", "512"]) else {
            Issue.record("not generate"); return
        }
        #expect(c.spec.layout.vectorWidth == 8 && c.spec.typeName == "LSTM_H8_D8_Double_V512")
        #expect(KernelGenerator.source(for: c.spec).contains("// Target: 512-bit vectors, 32 registers (8 Double lanes)."))
    }

    @Test func help() throws {
        var out = ""
        #expect(CodegenCommand.run(["--help"], out: { out += $0 }, err: { _ in }) == 0)
        #expect(out.contains("usage: swift run codegen --hidden H"))
    }

    static let badArguments: [([String], String)] = [
        ([], "missing --hidden H (the hidden size) or --manifest FILE"),
        (["--hidden"], "option --hidden needs a value"),
        (["--hidden", "0"], "--hidden must be a whole number from 1 to 1024, got '0'"),
        (["--hidden", "-3"], "--hidden must be a whole number from 1 to 1024, got '-3'"),
        (["--hidden", "eight"], "got 'eight'"),
        (["--hidden", "1025"], "got '1025'"),
        (["--hidden", "99999999999999999999999"], "--hidden must be a whole number"),
        (["--hidden", "8", "--input", "0"], "--input must be a whole number"),
        (["--hidden", "8", "--cell", "transformer"], "unknown cell 'transformer' for --cell: use lstm, rnn or gru"),
        (["--hidden", "8", "--scalar", "half"], "unknown scalar 'half'"),
        (["--hidden", "8", "--hiden", "4"], "unknown option '--hiden'"),
        (["--hidden", "8", "extra"], "unexpected argument 'extra'"),
        (["--hidden", "8", "--hidden", "4"], "option --hidden given more than once"),
        (["--hidden", "8", "--vector-bits", "1024"], "--vector-bits must be 128, 256 or 512, got '1024'"),
        (["--hidden", "8", "--vector-bits", "wide"], "--vector-bits must be 128, 256 or 512, got 'wide'"),
        (["--hidden", "8", "--registers", "8"], "--registers must be 16 or 32, got '8'"),
    ]

    @Test(arguments: badArguments) func badArgumentsAreRejected(_ arguments: [String], _ message: String) throws {
        let (status, out, err, files) = try run(arguments)
        #expect(status == 2)
        #expect(out.isEmpty)
        #expect(err.hasPrefix("codegen: error: ") && err.contains(message), "got: \(err)")
        #expect(err.filter { $0 == "\n" }.count == 1, "one line: \(err)")
        #expect(files.isEmpty, "nothing written")
    }

    @Test func unusableOutputFoldersAreRejected() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let aFile = base.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: aFile)
        for output in [base.appendingPathComponent("missing").path, aFile.path, "/proc"] {
            var err = ""
            let status = CodegenCommand.run(["--hidden", "2", "--output", output], out: { _ in }, err: { err += $0 + "\n" })
            #expect(status == 1, "\(output)")
            #expect(err.hasPrefix("codegen: error: ") && err.filter { $0 == "\n" }.count == 1, "\(output): \(err)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path) == ["not-a-folder"], "no partial files")
        #expect(!FileManager.default.fileExists(atPath: "/proc/LSTM_H2_D2_Float.swift"))
    }

    @Test func rewritingReplacesTheFileWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-rw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = try KernelSpec(cell: .rnn, hiddenSize: 4, inputSize: 2, scalar: .float)
        let url = folder.appendingPathComponent(spec.fileName)
        try Data("stale".utf8).write(to: url)
        try KernelGenerator.write(spec, to: folder)
        #expect(try String(contentsOf: url, encoding: .utf8) == KernelGenerator.source(for: spec))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [spec.fileName], "no temporary file left")
    }

    /// Issue 14, finding 3: symbolic links planted at the old predictable temporary name
    /// (`.FILE.PID.tmp`) and at the kernel file itself are never written through.
    @Test func plantedSymlinksAreNotFollowed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-ln-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = try KernelSpec(cell: .lstm, hiddenSize: 2, inputSize: 2, scalar: .float)
        let (victim, other) = (folder.appendingPathComponent("VICTIM"), folder.appendingPathComponent("OTHER"))
        try Data("victim".utf8).write(to: victim)
        try Data("other".utf8).write(to: other)
        let pid = ProcessInfo.processInfo.processIdentifier
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(".\(spec.fileName).\(pid).tmp"),
                                                   withDestinationURL: victim)
        let target = folder.appendingPathComponent(spec.fileName)
        try FileManager.default.createSymbolicLink(at: target, withDestinationURL: other)
        try KernelGenerator.write(spec, to: folder)
        #expect(try String(contentsOf: victim, encoding: .utf8) == "victim")
        #expect(try String(contentsOf: other, encoding: .utf8) == "other")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: target.path)) == nil, "kernel file is not a link")
        #expect(try String(contentsOf: target, encoding: .utf8) == KernelGenerator.source(for: spec))
    }

    /// Issue 14, finding 8: a stale temporary file of the kernel (from a killed run) is removed.
    @Test func staleTemporaryKernelIsRemoved() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cellforge-stale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = try KernelSpec(cell: .rnn, hiddenSize: 1, inputSize: 1, scalar: .float)
        let stale = folder.appendingPathComponent(".\(spec.fileName).cellforge-q1W2e3.tmp")
        try Data("partial".utf8).write(to: stale)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-AtomicFile.staleAge - 60)],
                                              ofItemAtPath: stale.path)
        try KernelGenerator.write(spec, to: folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [spec.fileName])
    }

    @Test func specLimits() {
        #expect(throws: CellForgeError.self) { try KernelSpec(cell: .lstm, hiddenSize: 0, inputSize: 1, scalar: .float) }
        #expect(throws: CellForgeError.self) { try KernelSpec(cell: .lstm, hiddenSize: 1, inputSize: 1025, scalar: .float) }
        #expect((try? KernelSpec(cell: .lstm, hiddenSize: 1024, inputSize: 1024, scalar: .double)) != nil)
        #expect(throws: CellForgeError.invalidArgument("cell rnn_relu has no generated kernel: relu RNN layers run on the run-time kernel")) {
            try KernelSpec(cell: .rnnReLU, hiddenSize: 2, inputSize: 2, scalar: .float)
        }
        #expect(KernelSpec.generatedCells == [.lstm, .rnn, .gru])
    }
}
