@testable import CellForgeGen
import CellForge
import Foundation
import Testing

/// `SwiftNames.generatedCodeNames` lists every module-level name the generated files refer
/// to, so a registry can never be named like one of them.
@Suite struct GeneratedNamesTests {
    /// The type names, and the names called as functions, that `source` refers to without a
    /// leading `.` and does not declare itself (comments and string literals skipped).
    func externalNames(_ source: String) throws -> Set<String> {
        func matches(_ pattern: String, in text: String) throws -> [[String]] {
            let regex = try NSRegularExpression(pattern: pattern)
            return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
                (0..<match.numberOfRanges).map { Range(match.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
            }
        }
        let code = try NSRegularExpression(pattern: #"//[^\n]*|"(?:\\.|[^"\\\n])*""#)
            .stringByReplacingMatches(in: source, range: NSRange(source.startIndex..., in: source), withTemplate: " ")
        let used = try matches(#"(?<![.@#\w$])([A-Za-z_]\w*)(\()?"#, in: code)
            .filter { $0[1].first!.isUppercase || !$0[2].isEmpty }.map { $0[1] }
        let declared = try matches(#"\b(?:func|var|let|struct|enum|typealias|class|protocol)\s+(\w+)|<(\w+):"#, in: code)
            .map { $0[1] + $0[2] }
        return Set(used).subtracting(declared).subtracting(SwiftNames.keywords)
    }

    @Test func generatedCodeUsesNoOtherModuleLevelNames() throws {
        var specs: [KernelSpec] = []
        for cell in KernelSpec.generatedCells {
            for scalar in ScalarType.allCases {
                for (bits, registers) in [(256, 16), (512, 32), (128, 16)] {
                    for (hidden, input) in [(1, 1), (5, 3), (32, 32)] {
                        specs.append(try KernelSpec(cell: cell, hiddenSize: hidden, inputSize: input, scalar: scalar,
                                                    target: KernelTarget(vectorBits: bits, registers: registers)))
                    }
                }
            }
        }
        let generator = ManifestGenerator(manifest: KernelManifest(registryName: "MyKernels", kernels: specs),
                                          manifestName: "kernels.json", kernelCommand: { $0.command }, registryCommand: "swift build")
        var unlisted = try externalNames(generator.registrySource()).subtracting(specs.map(\.typeName))
        for spec in specs { unlisted.formUnion(try externalNames(KernelGenerator.source(for: spec))) }
        #expect(unlisted.subtracting(SwiftNames.generatedCodeNames).isEmpty, "add to SwiftNames.generatedCodeNames")
    }
}
