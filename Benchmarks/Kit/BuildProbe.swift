import Foundation

/// Reads facts about the machine and the build from text the system and SwiftPM leave around.
public enum BuildProbe {
    /// The first "model name" in /proc/cpuinfo text, and the vector flags CellForge cares about.
    public static func cpu(fromCPUInfo text: String) -> (model: String, flags: [String]) {
        var model = "unknown", flags: [String] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            if parts[0] == "model name", model == "unknown" { model = parts[1] }
            if parts[0] == "flags", flags.isEmpty {
                let all = Set(parts[1].split(separator: " ").map(String.init))
                flags = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512vl", "avx512_bf16"].filter(all.contains)
            }
        }
        return (model, flags)
    }

    /// The compiler arguments SwiftPM's build manifest (`<scratch>/<configuration>.yaml`)
    /// records for compiling `module`, or nil if the manifest has no such command.
    ///
    /// Each command's `args:` line is a JSON array of strings.
    public static func compileArguments(manifest: String, module: String) -> [String]? {
        for line in manifest.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("args: ["), trimmed.contains("\"-module-name\",\"\(module)\"") else { continue }
            let json = Data(trimmed.dropFirst("args: ".count).utf8)
            guard let args = try? JSONSerialization.jsonObject(with: json) as? [String] else { continue }
            if args.contains("-c") || args.contains("-emit-module") { return args }
        }
        return nil
    }

    /// The arguments that change code generation: optimisation level, -D defines,
    /// -target-cpu and its value, -Xcc with a target flag (-march=…), -enforce-exclusivity;
    /// SwiftPM's own defines (-DSWIFT_…) left out, each flag once.
    public static func codegenFlags(_ args: [String]) -> (targetCPU: String?, flags: [String]) {
        var flags: [String] = [], cpu: String?
        var i = 0
        while i < args.count {
            let a = args[i]
            if (a == "-target-cpu" || a == "-Xcc") && i + 1 < args.count {
                let v = args[i + 1]
                if a == "-target-cpu" { cpu = v }
                // Of the C importer's flags only the target ones matter (-march=, -mcpu=, -mavx2…).
                if a == "-target-cpu" || v.hasPrefix("-m") { flags += [a, v] }
                if a == "-Xcc", v.hasPrefix("-march=") { cpu = cpu ?? String(v.dropFirst(7)) }
                i += 2
                continue
            }
            if (a.hasPrefix("-D") && !a.hasPrefix("-DSWIFT_")) || ["-O", "-Onone", "-Osize", "-Ounchecked"].contains(a)
                || a.hasPrefix("-enforce-exclusivity") {
                if !flags.contains(a) { flags.append(a) }
            }
            i += 1
        }
        return (cpu, flags)
    }
}
