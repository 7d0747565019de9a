import CellForge
@testable import CellForgeGen
import Foundation
import Testing

/// The backward emission: the interleave rule.
@Suite struct BackwardEmissionTests {
    /// The interleave rule (see `KernelSpec.interleave`): 4, except 3 at 16 registers with 16
    /// chunks or more; the kernel reports what its batched entry points run.
    @Test func interleaveFollowsTheMeasuredRule() throws {
        for (h, bits, registers, expected) in [(8, 256, 16, 4), (20, 256, 16, 4), (32, 256, 16, 3), (64, 256, 16, 3),
                                               (32, 512, 32, 4), (64, 512, 32, 4), (64, 512, 16, 3), (8, 128, 32, 4)] {
            let spec = try KernelSpec(cell: .lstm, hiddenSize: h, inputSize: h, scalar: .float,
                                      target: try KernelTarget(vectorBits: bits, registers: registers))
            #expect(spec.interleave == expected, "\(spec.typeName)")
            let text = KernelGenerator.source(for: spec)
            #expect(text.contains("public var interleave: Int { \(expected) }"))
            #expect(text.contains("private func backwardSteps\(expected)(") && text.contains("private func forwardSteps\(expected)("))
        }
    }
}
