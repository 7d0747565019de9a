import CellForge
import Testing

/// An architecture names the kernels it needs; a registry without one of them is an error
/// that names the kernel, its layers, and how to add it.
@Suite struct ModelKernelsTests {
    /// A registry holding two kernels, standing in for the generated one.
    enum TwoKernels: KernelRegistry {
        static var keys: [KernelKey] {
            [KernelKey(kind: .lstm, hiddenSize: 8, inputSize: 1, scalar: .float), KernelKey(kind: .lstm, hiddenSize: 8, inputSize: 8, scalar: .float)]
        }
        static func open<O: KernelOpener>(_ key: KernelKey, with opener: O) throws -> O.Result {
            throw CellForgeError.invalidArgument("not opened in this test")
        }
    }

    @Test func keysFollowTheLayersWithoutRepeats() throws {
        let arch = try ModelArchitecture(kind: .lstm, inputSize: 1, hiddenSizes: [8, 8, 8], outputSize: 1)
        #expect(arch.kernelKeys(scalar: .float) == TwoKernels.keys)
        #expect(arch.kernelKeys(scalar: .double).map(\.description) == ["LSTM H8 D1 Double", "LSTM H8 D8 Double"])
        try arch.checkKernels(in: TwoKernels.self, scalar: .float)
    }

    @Test func missingKernelsAreNamedWithHowToAddThem() throws {
        let arch = try ModelArchitecture(recurrent: [RecurrentLayerShape(kind: .lstm, hiddenSize: 8, inputSize: 1),
                                                  RecurrentLayerShape(kind: .gru, hiddenSize: 12, inputSize: 8),
                                                  RecurrentLayerShape(kind: .gru, hiddenSize: 12, inputSize: 12),
                                                  RecurrentLayerShape(kind: .gru, hiddenSize: 12, inputSize: 12)])
        ModelIOTestSupport.expectError(["GRU H12 D8 Float (layer 1)", "GRU H12 D12 Float (layers 2, 3)", "TwoKernels",
                                        "swift run codegen --hidden 12 --input 8 --cell gru --scalar float",
                                        "swift run codegen --hidden 12 --input 12 --cell gru --scalar float", "manifest"]) {
            try arch.checkKernels(in: TwoKernels.self, scalar: .float)
        }
        ModelIOTestSupport.expectError(["LSTM H8 D1 Double (layer 0)"]) { try arch.checkKernels(in: TwoKernels.self, scalar: .double) }
    }
}
