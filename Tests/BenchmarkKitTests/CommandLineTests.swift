import Foundation
import Testing
@testable import BenchmarkKit

@Suite struct OptionsTests {
    @Test func parsesFiltersAndOutputs() throws {
        let o = try Options.parse(["--cell", "lstm,GRU", "--hidden", "8", "--input", "8", "--only", "H8 D8", "--json", "a.json",
                                   "--svg", "p.svg", "--compare", "t.json", "--long", "--mode", "training,latency",
                                   "--scalar", "Float", "--quiet", "--markdown", "--sequences", "16", "--length", "4"])
        #expect(o.cells == [.lstm, .gru] && o.hidden == 8 && o.input == 8 && o.only == ["H8 D8"] && o.scalar == "float")
        #expect(o.json == "a.json" && o.svg == "p.svg" && o.compare == "t.json" && o.long && o.quiet && o.markdown)
        #expect(o.modes == [.training, .latency] && o.sequences == 16 && o.length == 4)
        #expect(o.repetitions == .long && o.referenceSampleSize == 32)
        let d = try Options.parse([])
        #expect(d.sequences == 256 && d.length == 64 && d.modes == Mode.allCases && d.reference && d.referenceSampleSize == 8)
        #expect(d.repetitions == .standard)
    }

    @Test func rejectsBadArguments() throws {
        #expect(throws: OptionsError.unknown("--fast")) { try Options.parse(["--fast"]) }
        #expect(throws: OptionsError.missingValue("--json")) { try Options.parse(["--json"]) }
        #expect(throws: OptionsError.missingValue("--only")) { try Options.parse(["--only", "--long"]) }
        #expect(throws: OptionsError.badValue("--cell", "lstmx", "lstm, gru or rnn")) { try Options.parse(["--cell", "lstmx"]) }
        #expect(throws: OptionsError.badValue("--hidden", "0", "a positive integer")) { try Options.parse(["--hidden", "0"]) }
        #expect(throws: OptionsError.badValue("--mode", "both", "latency, streaming, forward or training")) { try Options.parse(["--mode", "both"]) }
        #expect(throws: OptionsError.badValue("--misalign", "6", "a multiple of 4 below 64")) { try Options.parse(["--misalign", "6"]) }
        #expect(throws: OptionsError.badValue("--misalign", "64", "a multiple of 4 below 64")) { try Options.parse(["--misalign", "64"]) }
        #expect(try Options.parse(["--misalign", "16"]).misalign == 16)
    }

    @Test func selection() throws {
        let names = ["LSTM_H8_D8_Float", "LSTM H8 D8 Float"]
        func sel(_ args: [String], _ cell: Cell = .lstm, h: Int = 8, d: Int = 8, s: String = "float") throws -> Bool {
            try Options.parse(args).selects(names: names, cell: cell, hidden: h, input: d, scalar: s)
        }
        #expect(try sel([]))
        #expect(try sel(["--only", "h8 d8"]))                    // case-insensitive, display name
        #expect(try sel(["--only", "LSTM_H8"]))                  // type name
        #expect(try !sel(["--only", "H64"]))
        #expect(try sel(["--only", "H64", "--only", "D8"]))      // any of them
        #expect(try !sel(["--cell", "gru"]))
        #expect(try !sel(["--hidden", "8", "--input", "4"]))
        #expect(try !sel(["--scalar", "double"]))
    }

    /// `--vector-bits` keeps the kernels of the widths it lists; a width it does not list, or
    /// an unknown width, is refused.
    @Test func vectorBitsSelection() throws {
        let o = try Options.parse(["--vector-bits", "256,512"])
        #expect(o.vectorBits == [256, 512])
        let names = ["LSTM_H8_D8_Float_V512", "LSTM H8 D8 Float V512"]
        #expect(o.selects(names: names, cell: .lstm, hidden: 8, input: 8, scalar: "float", vectorBits: 512))
        #expect(!o.selects(names: names, cell: .lstm, hidden: 8, input: 8, scalar: "float", vectorBits: 128))
        #expect(try Options.parse([]).selects(names: names, cell: .lstm, hidden: 8, input: 8, scalar: "float", vectorBits: 128))
        #expect(throws: OptionsError.badValue("--vector-bits", "384", "128, 256 or 512")) { try Options.parse(["--vector-bits", "384"]) }
        #expect(try Options.parse(["--mode", "streaming,latency"]).modes == [.streaming, .latency])
    }
}

@Suite struct BuildProbeTests {
    @Test func cpuInfo() {
        let text = """
        processor\t: 0
        model name\t: AMD EPYC 7B13
        flags\t\t: fpu sse4_2 avx fma avx2 bmi2
        processor\t: 1
        model name\t: other
        """
        let cpu = BuildProbe.cpu(fromCPUInfo: text)
        #expect(cpu.model == "AMD EPYC 7B13")
        #expect(cpu.flags == ["sse4_2", "avx", "avx2", "fma"])
        #expect(BuildProbe.cpu(fromCPUInfo: "").model == "unknown")
    }

    @Test func manifestFlags() {
        let manifest = """
          "C.Benchmarks-x86_64-unknown-linux-gnu-release.exe":
            args: ["/opt/swift/usr/bin/swiftc","-module-name","Benchmarks","-emit-executable","-target-cpu","znver3"]
          "C.CellForgeKernels-x86_64-unknown-linux-gnu-release.module":
            args: ["/opt/swift/usr/bin/swiftc","-module-name","CellForgeKernels","-emit-module","-whole-module-optimization","-c","-O","-DSWIFT_PACKAGE","-target-cpu","native","-DCELLFORGE_FMA","-Xcc","-fPIC","-Xcc","-march=haswell","-g"]
        """
        let args = BuildProbe.compileArguments(manifest: manifest, module: "CellForgeKernels")
        #expect(args?.contains("-DCELLFORGE_FMA") == true)
        let probe = BuildProbe.codegenFlags(args ?? [])
        #expect(probe.targetCPU == "native")
        #expect(probe.flags == ["-O", "-target-cpu", "native", "-DCELLFORGE_FMA", "-Xcc", "-march=haswell"])
        #expect(BuildProbe.compileArguments(manifest: manifest, module: "Missing") == nil)
        #expect(BuildProbe.codegenFlags(["-O", "-Xcc", "-march=x86-64-v3"]).targetCPU == "x86-64-v3")
        #expect(BuildProbe.codegenFlags(["-Onone", "-DDEBUG"]).targetCPU == nil)
    }
}
