import CellForge

/// What to generate: one kernel for one (cell, H, D, scalar, target).
public struct KernelSpec: Equatable, Sendable {
    /// The cell.
    public let cell: CellKind
    /// H.
    public let hiddenSize: Int
    /// D.
    public let inputSize: Int
    /// The scalar type.
    public let scalar: ScalarType
    /// The vector width and register count the kernel is shaped for.
    public let target: KernelTarget

    /// Largest H or D the generator accepts. From 16 vectors of gates up the emitted code
    /// loops over vector groups, so its size and compile time no longer grow with H or D
    /// (see README, "Generating a kernel"); parameters grow with (D + H + 1)·G·H.
    public static let maximumSize = 1024

    /// The cells the generator emits kernels for: every cell but the relu RNN (`rnn_relu`),
    /// whose layers run on the run-time kernel (`RuntimeKernel`).
    public static let generatedCells = CellKind.allCases.filter { $0 != .rnnReLU }

    /// A validated spec.
    /// - Throws: `CellForgeError.invalidSize` unless 1 ≤ H, D ≤ `maximumSize`;
    ///   `CellForgeError.invalidArgument` for a cell not in `generatedCells`.
    public init(cell: CellKind, hiddenSize: Int, inputSize: Int, scalar: ScalarType,
                target: KernelTarget = .platformDefault) throws {
        for (name, value) in [("hidden size", hiddenSize), ("input size", inputSize)]
        where !(1...Self.maximumSize).contains(value) {
            throw CellForgeError.invalidSize(name: name, value: value, allowed: "between 1 and \(Self.maximumSize)")
        }
        guard Self.generatedCells.contains(cell) else {
            throw CellForgeError.invalidArgument("cell rnn_relu has no generated kernel: relu RNN layers run on the run-time kernel")
        }
        self.cell = cell
        self.hiddenSize = hiddenSize
        self.inputSize = inputSize
        self.scalar = scalar
        self.target = target
    }

    /// Sequences the batched entry points run in lockstep (the kernel's `interleave`).
    ///
    /// Measured rule (Float, N = 256, T = 64, one core, through `BatchDriver`: training with δx
    /// and SGD, and inference; ns per sequence-step). With 32 registers (AMD EPYC Zen 4; LSTM
    /// 2, 3, 4 and 6 at H8 D8, H16 D1, H20 D1, H32 D32 and H64 D64, 512 bits; best of 2–4
    /// runs): 4 was the fastest or within 2% of it in inference, well ahead at H64 D64 (619
    /// against 713 for 3), and 4 or 6 beat 3 in training at H8 D8 and H64 D64; 6 gained nothing
    /// over 4 and spilled more: 4.
    ///
    /// With 16 registers, measured where there are only 16 (AMD EPYC Zen 3, AVX2; `-target-cpu
    /// native` on an AVX-512 machine lets the compiler use 32 and hides the spills): LSTM, GRU
    /// and RNN at 2, 3, 4 and 6, 14 sizes from H8 D1 to H64 D64, the variants side by side in
    /// one process, medians of 9–15 runs, 2–4 sweeps. From 5 to 12 chunks 2 won in both modes,
    /// training most: GRU H16 D16 255–358 against 296–462 for 4, H20 D1 292–399 against
    /// 336–485, H32 D32 (12 chunks, 3 before) 921–1182 against 1025–1263 for 3, LSTM H16 D16
    /// 384–498 against 463–557 for 4, H20 D1 (12 chunks) 327–495 against 355–541 for 3; RNN
    /// H64 D64 (8 chunks) tied. At 4 chunks or fewer 3 and 4 were within 5% in training (LSTM
    /// H8 D8 134–172 and 135–177) and 4 led RNN inference (H8 D1 12.8–14.6 against 14.4–15.4;
    /// RNN H16 D16 trained faster at 2, 156 against 182–197, but inferred slower): 4. From 16
    /// chunks (LSTM H32 D32, H64 D64) 2, 3 and 4 stayed within 5%, 4 a little ahead at H64: 3
    /// kept, as before.
    public var interleave: Int {
        guard target.registers == 16 else { return 4 }
        switch layout.chunkCount {
        case ...4: return 4
        case ...12: return 2
        default: return 3
        }
    }

    /// The emitted type's name, e.g. `LSTM_H8_D8_Float` (256 bits) or `LSTM_H32_D32_Float_V512`:
    /// kernels of one size for several targets can live in one package.
    public var typeName: String {
        "\(cell.displayName)_H\(hiddenSize)_D\(inputSize)_\(scalar.swiftName)\(target.nameSuffix)"
    }
    /// The key the kernel is registered under.
    public var key: KernelKey {
        KernelKey(kind: cell, hiddenSize: hiddenSize, inputSize: inputSize, scalar: scalar, vectorBits: target.vectorBits)
    }
    /// The emitted file's name.
    public var fileName: String { typeName + ".swift" }
    /// The layout the kernel uses.
    public var layout: KernelLayout {
        KernelLayout(kind: cell, hiddenSize: hiddenSize, inputSize: inputSize, vectorWidth: target.lanes(scalar))
    }
    /// The command that regenerates this kernel into the default folder, Generated/, from the
    /// package root, on any machine: it always names the width, whose default depends on the
    /// platform (`CodegenCommand.kernelCommand` adds `--output` for any other folder).
    public var command: String {
        let registers = target.registers == KernelTarget.defaultRegisters(vectorBits: target.vectorBits)
            ? "" : " --registers \(target.registers)"
        return "swift run codegen --hidden \(hiddenSize) --input \(inputSize) --cell \(cell.rawValue) --scalar \(scalar.rawValue)"
            + " --vector-bits \(target.vectorBits)\(registers)"
    }
}
