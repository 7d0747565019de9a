import Foundation

/// An array in NumPy's `.npy` format: float32 or float64, little-endian, C order, any shape.
///
/// Read: format versions 1.0, 2.0 (4-byte header length) and 3.0 (UTF-8 header); the header
/// is a Python dict literal (`NumPyHeader`) with exactly the keys `descr` ('<f4' or '<f8', as
/// NumPy writes them; 'f4' and '=f4' are refused), `fortran_order` (False) and `shape` (a tuple
/// of non-negative integers, at most `maximumDimensionCount`; `()` is a 0-d array of one value).
/// The data after the header must hold exactly the shape's values, all finite. Refused, each in one line: a bad magic string,
/// other versions, big-endian and every other dtype (named), Fortran order, missing or unknown
/// keys, data shorter or longer than the shape says, a shape whose size overflows, and NaN or
/// infinite values (with their index).
///
/// Written (`write(_:shape:to:)`): version 1.0, byte for byte as `np.save` writes the array.
public struct NumPyArray: Equatable, Sendable {
    /// The element type.
    public enum DType: String, Equatable, Sendable, CaseIterable {
        case float32, float64

        /// Bytes one value takes.
        public var size: Int { self == .float32 ? 4 : 8 }
        /// The header's `descr` for the type: '<f4' or '<f8'.
        public var descr: String { self == .float32 ? "<f4" : "<f8" }
    }

    /// The dimensions, outermost first; empty for a 0-d array (one value).
    public let shape: [Int]
    /// The element type.
    public let dtype: DType
    /// The values' bytes: little-endian `dtype`, C order (last index fastest). A slice of the
    /// buffer read: its indices need not start at 0.
    public let bytes: Data

    /// The number of values: the product of `shape` (1 for a 0-d array).
    public var count: Int { bytes.count / dtype.size }

    /// The largest `.npy` file read: 4 GiB.
    public static var maximumFileSize: Int { 1 << 32 }
    /// The longest header read, in bytes: NumPy's own limit (`max_header_size`), 10 000.
    public static var maximumHeaderLength: Int { 10_000 }
    /// The most dimensions: NumPy's limit, 64.
    public static var maximumDimensionCount: Int { 64 }

    /// Reads the `.npy` file at `url` (`RegularFile.read(_:maximumSize:)` with `maximumFileSize`);
    /// see the type's documentation for what is accepted.
    /// - Throws: `CellForgeError.invalidArgument` if the file cannot be read, otherwise a one-line
    ///   `CellForgeError` naming the file, the field at fault, what was expected and what was found.
    public static func load(contentsOf url: URL) throws -> NumPyArray {
        try NumPyArray(data: RegularFile.read(url, maximumSize: maximumFileSize), source: "NumPy file \"\(url.path)\"")
    }

    /// Parses `.npy` bytes; see the type's documentation for what is accepted. The values
    /// share `data`'s buffer.
    /// - Throws: a one-line `CellForgeError` naming the field at fault, what was expected and what was found.
    public init(data: Data) throws {
        try self.init(data: data, source: "NumPy data")
    }

    /// Parses `.npy` bytes, naming them `source` in messages.
    init(data: Data, source: String) throws {
        func fail(_ message: String) -> CellForgeError { .invalidFormat("\(source): \(message)") }
        guard data.count <= Self.maximumFileSize else {
            throw fail("its \(data.count) bytes exceed the limit of \(Self.maximumFileSize)")
        }
        let header = try NumPyHeader(file: data, fail: fail)
        let start = data.startIndex + header.dataOffset
        guard data.count - header.dataOffset == header.byteCount else {
            let found = data.count - header.dataOffset
            throw fail("data of \(found) bytes is \(found < header.byteCount ? "shorter" : "longer") than the \(header.byteCount) "
                + "bytes shape \(NumPyHeader.format(header.shape)) of \(header.dtype) needs")
        }
        shape = header.shape
        dtype = header.dtype
        bytes = data[start..<data.endIndex]
        if let k = firstNonFinite() {
            let found = value(at: k)
            throw CellForgeError.nonFinite(name: "\(source): value \(k) (index \(NumPyHeader.format(position(of: k)))) is \(found)")
        }
    }

    /// The `k`th value in C order, as a Double.
    private func value(at k: Int) -> Double {
        bytes.withUnsafeBytes { raw in
            dtype == .float32
                ? Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))))
                : Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)))
        }
    }

    /// The C-order index of the first NaN or infinite value.
    private func firstNonFinite() -> Int? {
        bytes.withUnsafeBytes { raw in
            dtype == .float32
                ? (0..<count).first { !Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))).isFinite }
                : (0..<count).first { !Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))).isFinite }
        }
    }

    /// The index tuple of the `k`th value in C order.
    func position(of k: Int) -> [Int] {
        var rest = k
        return shape.reversed().map { n in defer { rest /= n }; return rest % n }.reversed()
    }

    /// The values in C order (last index fastest), converted to `S` (float64 to Float rounds).
    public func values<S: CellScalar>(as _: S.Type = S.self) -> [S] {
        // Decoded by code specialised for the scalar type (generic conversions are several times slower).
        S.self == Float.self ? unsafeBitCast(decode(as: Float.self), to: [S].self) : unsafeBitCast(decode(as: Double.self), to: [S].self)
    }

    private func decode<S: CellScalar>(as _: S.Type) -> [S] {
        bytes.withUnsafeBytes { raw in
            switch dtype {
            case .float32:
                (0..<count).map { S(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))) }
            case .float64:
                (0..<count).map { S(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))) }
            }
        }
    }
}
