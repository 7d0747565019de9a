import CellForge
import CellForgeGen
import CellForgeKernels
import Foundation
import Testing

/// The generated registry holds exactly the manifest's kernels and hands out the right types.
@Suite struct RegistryTests {
    static let manifestURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Generated/kernels.json")

    @Test func keysAreTheManifestsKernels() throws {
        let manifest = try KernelManifest.load(from: Self.manifestURL)
        let expected = manifest.kernels.map(\.key)
        #expect(GeneratedKernels.keys == expected)
        #expect(Set(expected).count == expected.count)
    }

    /// Reports the concrete type and key the registry opened.
    struct TypeName: KernelOpener {
        func open<K: GeneratedKernel>(_ kernel: K) -> (String, KernelKey) { ("\(K.self)", KernelKey(K.self)) }
    }

    @Test(arguments: GeneratedKernels.keys) func opensTheKernelOfItsKey(_ key: KernelKey) throws {
        let (name, opened) = try GeneratedKernels.open(key, with: TypeName())
        #expect(opened == key)
        // The key names cell, sizes, scalar and width; a register count other than the width's
        // usual one (`_R16`) is in the manifest entry only.
        let width = key.vectorBits == 256 ? "" : "_V\(key.vectorBits ?? 0)"
        let spec = try #require(try KernelManifest.load(from: Self.manifestURL).kernels.first { $0.key == key })
        let registers = spec.target.registers == KernelTarget.defaultRegisters(vectorBits: spec.target.vectorBits) ? "" : "_R\(spec.target.registers)"
        #expect(name == "\(key.kind.displayName)_H\(key.hiddenSize)_D\(key.inputSize)_\(key.scalar.swiftName)\(width)\(registers)")
        let kernel = try GeneratedKernels.kernel(for: key)
        #expect("\(type(of: kernel))" == name && kernel.kind == key.kind && kernel.hiddenSize == key.hiddenSize
                && kernel.inputSize == key.inputSize)
        #expect(GeneratedKernels.contains(key))
    }

    /// A key without a width opens the platform's default width when the registry has it (256
    /// bits on x86-64, 128 on arm64), else the widest there is.
    @Test func keyWithoutWidthResolvesToThePlatformWidthElseTheWidest() throws {
        let any = KernelKey(kind: .lstm, hiddenSize: 8, inputSize: 8, scalar: .float)
        let (_, opened) = try GeneratedKernels.open(any, with: TypeName())
        #expect(opened.vectorBits == KernelKey.platformVectorBits)
        #expect(GeneratedKernels.contains(any))
        // LSTM H64 D64 is committed at 256 and 512 bits only: on arm64 the widest is taken.
        let (_, wide) = try GeneratedKernels.open(KernelKey(kind: .lstm, hiddenSize: 64, inputSize: 64, scalar: .float),
                                                  with: TypeName())
        #expect(wide.vectorBits == (KernelKey.platformVectorBits == 256 ? 256 : 512))
        // A width that is not committed is not found, even though other widths are.
        #expect(!GeneratedKernels.contains(KernelKey(kind: .lstm, hiddenSize: 64, inputSize: 64, scalar: .float, vectorBits: 128)))
    }

    @Test func unknownSizeNamesWhatExistsAndHowToAddIt() throws {
        let key = KernelKey(kind: .gru, hiddenSize: 11, inputSize: 2, scalar: .float)
        #expect(!GeneratedKernels.contains(key))
        do {
            _ = try GeneratedKernels.open(key, with: TypeName())
            Issue.record("GRU H11 D2 was found")
        } catch let error as CellForgeError {
            let message = error.description
            #expect(!message.contains("\n"))
            #expect(message.hasPrefix("no generated kernel for GRU H11 D2 Float; available: LSTM Float 128-bit H1 D2, H3 D5, "))
            #expect(message.contains("; LSTM Float H1 D2, H2 D3, "))
            #expect(message.contains("; GRU Double H3 D4, H7 D2, H13 D7;"))
            #expect(message.hasSuffix("add {\"cell\": \"gru\", \"hidden\": 11, \"input\": 2, \"scalar\": \"float\"} to "
                                      + "Generated/kernels.json and run swift run codegen --manifest Generated/kernels.json"))
        }
        // A key differing only in the scalar type is not found either.
        #expect(throws: CellForgeError.self) {
            try GeneratedKernels.open(KernelKey(kind: .lstm, hiddenSize: 64, inputSize: 64, scalar: .double), with: TypeName())
        }
    }

    /// The entry the error suggests is one the manifest parser accepts, for the same kernel.
    @Test func suggestedEntryParses() throws {
        let key = KernelKey(kind: .rnn, hiddenSize: 20, inputSize: 1, scalar: .double)
        let manifest = try KernelManifest.parse(Data("{\"kernels\": [\(key.manifestEntry)]}".utf8), name: "m.json")
        let spec = try #require(manifest.kernels.first)
        #expect(KernelKey(kind: spec.cell, hiddenSize: spec.hiddenSize, inputSize: spec.inputSize, scalar: spec.scalar) == key)
    }
}
