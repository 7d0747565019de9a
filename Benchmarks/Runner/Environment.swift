import BenchmarkKit
import Foundation

/// What the JSON records about the machine and the build.
enum Environment {
    static var compiler: String {
        #if compiler(>=6.5)
        "Swift ≥ 6.5"
        #elseif compiler(>=6.4)
        "Swift 6.4"
        #elseif compiler(>=6.3.1)
        "Swift 6.3.1"
        #elseif compiler(>=6.3)
        "Swift 6.3"
        #elseif compiler(>=6.2)
        "Swift 6.2"
        #else
        "Swift < 6.2"
        #endif
    }

    static var configuration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    /// Whether this module was compiled with -DCELLFORGE_FMA (the kernels use the same flags
    /// when built in one `swift build`/`swift run`).
    static var cellforgeFMA: Bool {
        #if CELLFORGE_FMA
        true
        #else
        false
        #endif
    }

    static func machine() -> Machine {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let cpu = BuildProbe.cpu(fromCPUInfo: text)
        return Machine(cpu: cpu.model, cores: ProcessInfo.processInfo.activeProcessorCount, cpuFlags: cpu.flags,
                       os: ProcessInfo.processInfo.operatingSystemVersionString)
    }

    /// The build facts; the target CPU and flags come from SwiftPM's build manifest next to
    /// the executable (`<scratch>/<configuration>.yaml`), when it is there.
    static func build(peaks: [Peak], results: [BenchmarkResult]) -> Build {
        let widths = Set(results.compactMap(\.vectorBits))
        var b = Build(compiler: compiler, configuration: configuration, cellforgeFMA: cellforgeFMA,
                      vectorBits: widths.count == 1 ? widths.first : nil)
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let configurationDir = exe.deletingLastPathComponent()                  // <scratch>/<triple>/release
        let scratch = configurationDir.deletingLastPathComponent().deletingLastPathComponent()
        let manifest = scratch.appendingPathComponent(configurationDir.lastPathComponent + ".yaml")
        if let text = try? String(contentsOf: manifest, encoding: .utf8),
           let args = BuildProbe.compileArguments(manifest: text, module: "CellForgeKernels") {
            let probe = BuildProbe.codegenFlags(args)
            b.targetCPU = probe.targetCPU
            b.flags = probe.flags
            b.flagsSource = "SwiftPM build manifest \(manifest.path) (CellForgeKernels compile command)"
            if b.targetCPU == nil { b.notes.append("no -target-cpu: the kernels were compiled for baseline x86-64 (SSE2, no FMA)") }
        } else {
            b.flagsSource = "unknown: no SwiftPM build manifest at \(manifest.path)"
        }
        if let peak = peaks.first(where: { $0.scalar == "float" })?.gflops.median, cellforgeFMA, peak < 10 {
            b.notes.append("CELLFORGE_FMA is defined but the FMA peak is \(Units.significant(peak)) GFLOP/s: the target CPU has no FMA, so each fused multiply-add is a libm call per lane; add -Xswiftc -target-cpu -Xswiftc native")
        }
        return b
    }
}
