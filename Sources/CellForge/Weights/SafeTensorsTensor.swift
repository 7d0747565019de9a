import Foundation

extension SafeTensors {
    /// An element type of the safetensors format that CellForge reads and writes.
    public enum DType: String, CaseIterable, Sendable, CustomStringConvertible {
        /// IEEE 754 binary32, little-endian.
        case f32 = "F32"
        /// IEEE 754 binary64, little-endian.
        case f64 = "F64"

        /// Bytes per element.
        public var size: Int { self == .f32 ? 4 : 8 }

        /// The dtype that stores `S` exactly (F32 for Float, F64 for Double).
        public static func matching<S: CellScalar>(_: S.Type) -> DType { S.significandBitCount <= 23 ? .f32 : .f64 }

        public var description: String { rawValue }
    }

    /// One tensor: element type, shape and little-endian data, row-major.
    public struct Tensor: Equatable, Sendable, CustomStringConvertible {
        /// The element type.
        public let dtype: DType
        /// The dimensions, outermost first (empty for a scalar).
        public let shape: [Int]
        /// The raw little-endian bytes, `elementCount · dtype.size` of them. A tensor read
        /// from a file shares the file's one buffer (`Data` slices), so the data is held once.
        public let data: Data
        /// `data` as an array (a copy).
        public var bytes: [UInt8] { [UInt8](data) }

        /// A tensor of `values` (row-major) stored as `dtype` (default: the dtype matching `S`),
        /// rounding to nearest when `dtype` is narrower than `S`.
        /// - Throws: `CellForgeError.shapeMismatch` unless the shape is valid and holds exactly `values.count` elements.
        public init<S: CellScalar>(shape: [Int], values: [S], dtype: DType? = nil) throws {
            guard let count = Self.elementCount(shape), count == values.count else {
                throw CellForgeError.shapeMismatch(name: "tensor values", expected: "\(values.count) values",
                                                   actual: "shape \(Self.format(shape))")
            }
            let dtype = dtype ?? .matching(S.self)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count * dtype.size)
            for v in values {
                switch dtype {
                case .f32: withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                case .f64: withUnsafeBytes(of: Double(v).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                }
            }
            self.init(validated: dtype, shape: shape, data: Data(bytes))
        }

        /// A tensor from parts already checked to agree.
        init(validated dtype: DType, shape: [Int], data: Data) {
            self.dtype = dtype
            self.shape = shape
            self.data = data
        }

        /// Number of elements, the product of the dimensions.
        public var elementCount: Int { data.count / dtype.size }

        /// The elements, row-major, converted to `S` (rounded to nearest when `S` is narrower than the dtype).
        public func values<S: CellScalar>(as _: S.Type = S.self) -> [S] {
            data.withUnsafeBytes { raw in
                (0..<elementCount).map { k in
                    switch dtype {
                    case .f32: S(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))))
                    case .f64: S(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self))))
                    }
                }
            }
        }

        public var description: String { "\(dtype) \(Self.format(shape))" }

        /// The product of `shape`, or nil if a dimension is negative or the product overflows `Int`.
        static func elementCount(_ shape: [Int]) -> Int? {
            var count = 1
            for d in shape {
                guard d >= 0 else { return nil }
                let (p, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow else { return nil }
                count = p
            }
            return count
        }

        /// A shape as PyTorch prints it: "[32, 8]".
        static func format(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
    }
}
