import Foundation

extension NumPyArray {
    /// Writes `values` (C order, last index fastest) with `shape` as a `.npy` file at `url`
    /// (`AtomicFile.write(_:to:)`), byte for byte as `np.save` writes such an array: format
    /// version 1.0, dtype '<f4' for Float and '<f8' for Double, the header dict
    /// `{'descr': …, 'fortran_order': False, 'shape': …, }` followed by NumPy's spare space and
    /// padded with spaces and a final newline so the data starts at a multiple of 64 bytes.
    /// - Throws: `CellForgeError.shapeMismatch` if the shape's element count is not
    ///   `values.count`, `.invalidArgument` for a negative dimension or more than
    ///   `maximumDimensionCount`, `.nonFinite` for a NaN or infinite value, or if the file
    ///   cannot be written.
    public static func write<S: CellScalar>(_ values: [S], shape: [Int], to url: URL) throws {
        try AtomicFile.write(fileData(values, shape: shape, name: url.path), to: url)
    }

    /// The bytes `write(_:shape:to:)` writes, naming the file `name` in messages.
    static func fileData<S: CellScalar>(_ values: [S], shape: [Int], name: String) throws -> Data {
        guard shape.count <= maximumDimensionCount, shape.allSatisfy({ $0 >= 0 }) else {
            throw CellForgeError.invalidArgument("NumPy shape \(NumPyHeader.format(shape)) for \"\(name)\": "
                + "must be at most \(maximumDimensionCount) non-negative dimensions")
        }
        let count = shape.reduce(Optional(1)) { total, n in total.flatMap { t in
            let (p, overflow) = t.multipliedReportingOverflow(by: n); return overflow ? nil : p } }
        guard count == values.count else {
            throw CellForgeError.shapeMismatch(name: "values to write to \"\(name)\"",
                                               expected: "\(count.map(String.init) ?? "more than Int.max") for shape \(NumPyHeader.format(shape))",
                                               actual: "\(values.count)")
        }
        if let k = values.firstIndex(where: { !$0.isFinite }) {
            throw CellForgeError.nonFinite(name: "value \(k) to write to \"\(name)\"")
        }
        let dtype: DType = MemoryLayout<S>.size == 4 ? .float32 : .float64
        var header = "{'descr': '\(dtype.descr)', 'fortran_order': False, 'shape': \(NumPyHeader.format(shape)), }"
        if let first = shape.first { header += String(repeating: " ", count: max(0, 21 - String(first).count)) }
        let padding = 64 - (10 + header.utf8.count + 1) % 64
        header += String(repeating: " ", count: padding) + "\n"
        var data = Data(NumPyHeader.magic)
        data.append(contentsOf: [1, 0])
        data.appendLittleEndian(UInt64(header.utf8.count), size: 2)
        data.append(contentsOf: Array(header.utf8))
        data.reserveCapacity(data.count + values.count * dtype.size)
        for value in values {
            if dtype == .float32 {
                data.appendLittleEndian(UInt64(Float(value).bitPattern), size: 4)
            } else {
                data.appendLittleEndian(Double(value).bitPattern, size: 8)
            }
        }
        return data
    }
}
