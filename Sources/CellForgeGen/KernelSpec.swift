import CellForge

extension ScalarType {
    /// Lanes of the widest vector emitted: 256-bit vectors (8 Float, 4 Double).
    public var vectorWidth: Int { self == .float ? 8 : 4 }
}

/// What to generate: one kernel for one (cell, H, D, scalar).
public struct KernelSpec: Equatable, Sendable {
    /// The cell.
    public let cell: CellKind
    /// H.
    public let hiddenSize: Int
    /// D.
    public let inputSize: Int
    /// The scalar type.
    public let scalar: ScalarType

    /// Largest H or D the generator accepts. Emitted code grows with H (the gate
    /// group is unrolled in vectors of 8 lanes) and parameters with (D + H + 1)·4H.
    public static let maximumSize = 1024

    /// A validated spec.
    /// - Throws: `CellForgeError.invalidSize` unless 1 ≤ H, D ≤ `maximumSize`.
    public init(cell: CellKind, hiddenSize: Int, inputSize: Int, scalar: ScalarType) throws {
        for (name, value) in [("hidden size", hiddenSize), ("input size", inputSize)]
        where !(1...Self.maximumSize).contains(value) {
            throw CellForgeError.invalidSize(name: name, value: value, allowed: "between 1 and \(Self.maximumSize)")
        }
        self.cell = cell
        self.hiddenSize = hiddenSize
        self.inputSize = inputSize
        self.scalar = scalar
    }

    /// The emitted type's name, e.g. `LSTM_H8_D8_Float`.
    public var typeName: String { "\(cell.displayName)_H\(hiddenSize)_D\(inputSize)_\(scalar.swiftName)" }
    /// The emitted file's name.
    public var fileName: String { typeName + ".swift" }
    /// The layout the kernel uses.
    public var layout: KernelLayout {
        KernelLayout(kind: cell, hiddenSize: hiddenSize, inputSize: inputSize, vectorWidth: scalar.vectorWidth)
    }
    /// The command that regenerates this kernel into the default folder, Generated/, from the
    /// package root (`CodegenCommand.kernelCommand` adds `--output` for any other folder).
    public var command: String {
        "swift run codegen --hidden \(hiddenSize) --input \(inputSize) --cell \(cell.rawValue) --scalar \(scalar.rawValue)"
    }
}
