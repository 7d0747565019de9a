import CellForge
import CellForgeGen
import CellForgeKernels
import CellForgeTestKernels
import Foundation
import Testing

/// Each generated registry holds exactly its manifest's kernels and hands out the right types;
/// no kernel is in two sets.
@Suite struct RegistryTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: CommittedKernels.sets.map(\.registry)) func keysAreTheManifestsKernels(_ registry: String) throws {
        let set = try #require(CommittedKernels.sets.first { $0.registry == registry })
        let manifest = try KernelManifest.load(from: Self.root.appendingPathComponent(set.manifest))
        #expect(manifest.registryName == registry)
        let expected = manifest.kernels.map(\.key)
        #expect(set.keys == expected)
        #expect(Set(expected).count == expected.count)
    }

    /// A kernel lives in one set only: two modules declaring one type name would make the name
    /// ambiguous wherever both are imported, and the union registry could not say which to open.
    @Test func noKernelIsInTwoSets() {
        #expect(Set(CommittedKernels.keys).count == CommittedKernels.keys.count)
    }

    /// The kernels the library's users and the examples open directly are in `GeneratedKernels`,
    /// all at the 256-bit width its manifest states.
    @Test func mainSetIsTheExamplesKernelsAt256Bits() {
        #expect(GeneratedKernels.keys.allSatisfy { $0.vectorBits == 256 })
        for cell in [CellKind.lstm, .gru, .rnn] {  // the training example's three cells
            #expect(GeneratedKernels.keys.contains(KernelKey(kind: cell, hiddenSize: 8, inputSize: 8, scalar: .float, vectorBits: 256)))
        }
    }

    /// Reports the concrete type and key the registry opened.
    struct TypeName: KernelOpener {
        func open<K: GeneratedKernel>(_ kernel: K) -> (String, KernelKey) { ("\(K.self)", KernelKey(K.self)) }
    }

    @Test(arguments: CommittedKernels.keys) func opensTheKernelOfItsKey(_ key: KernelKey) throws {
        let (name, opened) = try CommittedKernels.open(key, with: TypeName())
        #expect(opened == key)
        // The key names cell, sizes, scalar and width; a register count other than the width's
        // usual one (`_R16`) is in the manifest entry only.
        let width = key.vectorBits == 256 ? "" : "_V\(key.vectorBits ?? 0)"
        let set = try #require(CommittedKernels.sets.first { $0.keys.contains(key) })
        let spec = try #require(try KernelManifest.load(from: Self.root.appendingPathComponent(set.manifest)).kernels.first { $0.key == key })
        let registers = spec.target.registers == KernelTarget.defaultRegisters(vectorBits: spec.target.vectorBits) ? "" : "_R\(spec.target.registers)"
        #expect(name == "\(key.kind.displayName)_H\(key.hiddenSize)_D\(key.inputSize)_\(key.scalar.swiftName)\(width)\(registers)")
        let kernel = try CommittedKernels.kernel(for: key)
        #expect("\(type(of: kernel))" == name && kernel.kind == key.kind && kernel.hiddenSize == key.hiddenSize
                && kernel.inputSize == key.inputSize)
        #expect(CommittedKernels.contains(key))
    }

    /// A key without a width opens the platform's default width when the registry has it (256
    /// bits on x86-64, 128 on arm64), else the widest there is.
    @Test func keyWithoutWidthResolvesToThePlatformWidthElseTheWidest() throws {
        // LSTM H13 D7 Float is in TestKernels at 128, 256 and 512 bits.
        let any = KernelKey(kind: .lstm, hiddenSize: 13, inputSize: 7, scalar: .float)
        let (_, opened) = try TestKernels.open(any, with: TypeName())
        #expect(opened.vectorBits == KernelKey.platformVectorBits)
        #expect(TestKernels.contains(any))
        // LSTM H64 D64 is in TestKernels at 256 and 512 bits only: on arm64 the widest is taken.
        let (_, wide) = try TestKernels.open(KernelKey(kind: .lstm, hiddenSize: 64, inputSize: 64, scalar: .float),
                                             with: TypeName())
        #expect(wide.vectorBits == (KernelKey.platformVectorBits == 256 ? 256 : 512))
        // A width that is not committed is not found, even though other widths are.
        #expect(!TestKernels.contains(KernelKey(kind: .lstm, hiddenSize: 64, inputSize: 64, scalar: .float, vectorBits: 128)))
        // GeneratedKernels holds 256-bit kernels only: a key without a width takes that one everywhere.
        let (_, main) = try GeneratedKernels.open(KernelKey(kind: .lstm, hiddenSize: 8, inputSize: 8, scalar: .float), with: TypeName())
        #expect(main.vectorBits == 256)
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
            #expect(message.hasPrefix("no generated kernel for GRU H11 D2 Float; available: LSTM Float H3 D5, H5 D3, H5 D5, "
                                      + "H8 D1, H8 D8, H16 D1, H20 D1, H32 D32; LSTM Double H5 D3, H5 D5, H8 D8; "
                                      + "GRU Float H5 D3, H7 D2, H8 D8, H12 D2; GRU Double H7 D2; RNN Float H8 D8; "))
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
