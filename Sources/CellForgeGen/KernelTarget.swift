import CellForge

/// The machine a kernel is shaped for: the widest vector it uses and how many vector
/// registers the register-blocking heuristics may fill.
///
/// Swift's SIMD types are portable, so a kernel for any target runs correctly on any
/// machine (a 512-bit vector is split into halves on an AVX2 or NEON machine); the target
/// only decides what runs fast.
public struct KernelTarget: Hashable, Sendable, CustomStringConvertible {
    /// Bits in the widest vector: 128 (NEON, SSE), 256 (AVX2) or 512 (AVX-512).
    public let vectorBits: Int
    /// Architectural vector registers: 16 (x86-64 without AVX-512) or 32 (AVX-512, arm64).
    public let registers: Int

    /// The vector widths the generator supports.
    public static let supportedVectorBits = [128, 256, 512]
    /// The register counts the generator supports.
    public static let supportedRegisters = [16, 32]

    /// A validated target.
    /// - Parameter registers: nil for the usual count at that width (`defaultRegisters`).
    /// - Throws: `CellForgeError.invalidArgument` for an unsupported width or register count.
    public init(vectorBits: Int, registers: Int? = nil) throws {
        guard Self.supportedVectorBits.contains(vectorBits) else {
            throw CellForgeError.invalidArgument("vector width must be 128, 256 or 512 bits, got \(vectorBits)")
        }
        let registers = registers ?? Self.defaultRegisters(vectorBits: vectorBits)
        guard Self.supportedRegisters.contains(registers) else {
            throw CellForgeError.invalidArgument("register count must be 16 or 32, got \(registers)")
        }
        self.vectorBits = vectorBits
        self.registers = registers
    }

    /// The usual register count at a width: 32 for 512 bits (AVX-512) and 128 bits (NEON),
    /// 16 for 256 bits (AVX2).
    public static func defaultRegisters(vectorBits: Int) -> Int { vectorBits == 256 ? 16 : 32 }

    /// The target of the machine the generator runs on: arm64 128 bits and 32 registers,
    /// everything else (x86-64) 256 bits and 16 registers. AVX-512 is opt-in
    /// (`--vector-bits 512`): the generator cannot know the machine the kernel will run on.
    public static var platformDefault: KernelTarget {
        #if arch(arm64)
        try! KernelTarget(vectorBits: 128, registers: 32)
        #else
        try! KernelTarget(vectorBits: 256, registers: 16)
        #endif
    }

    /// The 256-bit, 16-register target (AVX2) whose kernels keep the plain type names.
    public static let avx2 = try! KernelTarget(vectorBits: 256, registers: 16)

    /// Lanes of the widest vector for a scalar type (e.g. 16 Float or 8 Double at 512 bits).
    public func lanes(_ scalar: ScalarType) -> Int { vectorBits / scalar.bits }

    /// Suffix of the kernel type name: empty for the 256-bit default, else `_V512`, `_V128`,
    /// with `_R16`/`_R32` added when the register count is not the width's default.
    public var nameSuffix: String {
        let width = vectorBits == 256 ? "" : "_V\(vectorBits)"
        let regs = registers == Self.defaultRegisters(vectorBits: vectorBits) ? "" : "_R\(registers)"
        return width + regs
    }

    // MARK: Register budgets (every register heuristic of the emitter derives from these)

    /// Accumulators one sequence keeps in flight in a matrix-vector product: half the
    /// registers (8 on AVX2, 16 on AVX-512 and NEON), leaving room for loads and broadcasts.
    public var accumulatorBudget: Int { registers / 2 }
    /// Registers free for values held across a loop iteration: all but one kept for a load.
    public var freeRegisters: Int { registers - 1 }

    /// "256-bit vectors, 16 registers".
    public var description: String { "\(vectorBits)-bit vectors, \(registers) registers" }
}
