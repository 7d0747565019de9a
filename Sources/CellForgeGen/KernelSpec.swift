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

    /// A validated spec.
    /// - Throws: `CellForgeError.invalidSize` unless 1 ≤ H, D ≤ `maximumSize`.
    public init(cell: CellKind, hiddenSize: Int, inputSize: Int, scalar: ScalarType,
                target: KernelTarget = .platformDefault) throws {
        for (name, value) in [("hidden size", hiddenSize), ("input size", inputSize)]
        where !(1...Self.maximumSize).contains(value) {
            throw CellForgeError.invalidSize(name: name, value: value, allowed: "between 1 and \(Self.maximumSize)")
        }
        self.cell = cell
        self.hiddenSize = hiddenSize
        self.inputSize = inputSize
        self.scalar = scalar
        self.target = target
    }

    /// Sequences the batched entry points run in lockstep (the kernel's `interleave`).
    ///
    /// Measured rule (LSTM Float, N = 256, T = 64, one core, AMD EPYC Zen 4, machine shared:
    /// training with δx and SGD through `BatchDriver`, and inference; 2, 3, 4 and 6 at H8 D8,
    /// H16 D1, H20 D1, H32 D32 and H64 D64, 256 and 512 bits; best of 2–4 runs, ns per
    /// sequence-step). Inference: 4 was the fastest or within 2% of it at every size but H20 D1
    /// at 256 bits (76.9 against 72.8 for 3), and well ahead at H64 D64 512 bits (619 against
    /// 713 for 3) and H8 D8 256 bits (22.4 against 25.9); 2 the slowest.
    /// Training: 4 or 6 beat 3 at H8 D8 (73 and 73 against 78 ns) and H64 D64 512 bits (3267
    /// and 3212 against 3535); elsewhere the run-to-run spread (up to 3× from the stack's
    /// offset in its page alone) exceeds the differences. 6 gains nothing over 4 and spills
    /// more. With 16 registers and 16 chunks or more (256-bit H ≥ 32) 3 and 4 tie in both
    /// (H64 D64: 4871 and 4699 ns training, 1445 and 1240 inference, within the spread), and
    /// 3 keeps fewer values spilled: 3 there. At 12 chunks (256-bit LSTM H20 D1), 4 lost in
    /// both measurements: inference above, and against the kernels before per-kernel
    /// interleave, which ran 3 (quick side-by-side run, two rounds: 4 took 1.08× the time in
    /// inference and 1.10× in training): 3 from 12 chunks up.
    public var interleave: Int { target.registers == 16 && layout.chunkCount >= 12 ? 3 : 4 }

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
