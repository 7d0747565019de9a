import Foundation

/// The validated header of a `.npy` file: magic "\x93NUMPY", version 1.0, 2.0 or 3.0, the
/// header length (2 bytes little-endian in 1.0, 4 in 2.0 and 3.0; at most
/// `NumPyArray.maximumHeaderLength`), and the header text (Latin-1, or UTF-8 in 3.0), a Python
/// dict literal with exactly the keys `descr`, `fortran_order` and `shape`.
struct NumPyHeader {
    let dtype: NumPyArray.DType
    let shape: [Int]
    /// Bytes the data must hold: the shape's element count × the dtype's size.
    let byteCount: Int
    /// Where the data starts.
    let dataOffset: Int

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    init(file data: Data, fail: (String) -> CellForgeError) throws {
        guard data.count >= 10, data.prefix(6).elementsEqual(Self.magic) else {
            let found = data.prefix(6).map { String($0, radix: 16).zeroPadded(to: 2) }.joined(separator: " ")
            throw fail("not a .npy file: it starts with bytes [\(found)], expected \\x93NUMPY")
        }
        let major = Int(data[data.startIndex + 6]), minor = Int(data[data.startIndex + 7])
        guard minor == 0, (1...3).contains(major) else {
            throw fail("format version \(major).\(minor) is not supported: CellForge reads 1.0, 2.0 and 3.0")
        }
        let lengthSize = major == 1 ? 2 : 4
        guard data.count >= 8 + lengthSize else { throw fail("\(data.count) bytes end inside the header length") }
        let length = Int(data.littleEndian(at: 8, size: lengthSize))
        guard length <= NumPyArray.maximumHeaderLength else {
            throw fail("header length \(length) exceeds the limit of \(NumPyArray.maximumHeaderLength) bytes")
        }
        guard length <= data.count - 8 - lengthSize else {
            throw fail("header length \(length) runs past the end of the file (\(data.count - 8 - lengthSize) bytes follow it)")
        }
        let start = data.startIndex + 8 + lengthSize
        let bytes = data[start..<(start + length)]
        let text: String
        if major == 3 {
            guard let utf8 = String(validating: bytes, as: UTF8.self) else { throw fail("version 3.0 header is not valid UTF-8") }
            text = utf8
        } else {
            text = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
        let literal: PythonLiteral
        do { literal = try PythonLiteral.parse(text) } catch let error as PythonLiteral.SyntaxError {
            throw fail("header is not a Python literal: \(error.message)")
        }
        guard case let .dict(items) = literal else { throw fail("header is not a Python dict") }
        var fields: [String: PythonLiteral] = [:]
        for (key, value) in items {
            guard ["descr", "fortran_order", "shape"].contains(key) else {
                throw fail("header key \(Self.quote(key)) is not one of 'descr', 'fortran_order', 'shape'")
            }
            guard fields.updateValue(value, forKey: key) == nil else { throw fail("header key '\(key)' appears twice") }
        }
        func field(_ key: String) throws -> PythonLiteral {
            guard let value = fields[key] else { throw fail("header has no '\(key)' key") }
            return value
        }
        dtype = try Self.dtype(field("descr"), fail: fail)
        switch try field("fortran_order") {
        case .bool(false): break
        case .bool(true): throw fail("Fortran order is not supported: save the array with np.ascontiguousarray")
        default: throw fail("'fortran_order' is not True or False")
        }
        shape = try Self.shape(field("shape"), fail: fail)
        guard let count = shape.reduce(Optional(1), { total, n in total.flatMap { t in
            let (p, overflow) = t.multipliedReportingOverflow(by: n); return overflow ? nil : p } }),
            case let (bytes, false) = count.multipliedReportingOverflow(by: dtype.size) else {
            throw fail("shape \(Self.format(shape)) of \(dtype) overflows the byte count")
        }
        byteCount = bytes
        dataOffset = 8 + lengthSize + length
    }

    /// The dtype a `descr` names, if CellForge reads it.
    static func dtype(_ descr: PythonLiteral, fail: (String) -> CellForgeError) throws -> NumPyArray.DType {
        let supported = "CellForge reads float32 ('<f4') and float64 ('<f8')"
        switch descr {
        case .string("<f4"): return .float32
        case .string("<f8"): return .float64
        case let .string(text) where ["f4", "=f4", "f8", "=f8"].contains(text):
            throw fail("dtype \(quote(text)) has no explicit byte order: \(supported), as NumPy writes them")
        case let .string(text): throw fail("dtype \(describe(text)) is not supported: \(supported)")
        case .list: throw fail("a structured dtype (a list of fields) is not supported: \(supported)")
        default: throw fail("'descr' is not a dtype string: \(supported)")
        }
    }

    /// A dtype string in words: "int16 ('<i2')", "big-endian float32 ('>f4')", "object ('|O')".
    static func describe(_ descr: String) -> String {
        var rest = Substring(descr)
        let order = rest.first.flatMap { "<>=|".contains($0) ? rest.removeFirst() : nil }
        let kind = rest.first.map { _ in rest.removeFirst() }
        let bits = Int(rest).map { $0 * 8 }
        let name: String? = switch (kind, bits) {
        case ("f", let b?): "float\(b)"
        case ("i", let b?): "int\(b)"
        case ("u", let b?): "uint\(b)"
        case ("c", let b?): "complex\(b)"
        case ("b", _): "bool"
        case ("O", _): "object"
        case ("U", _): "Unicode string"
        case ("S", _), ("a", _): "byte string"
        case ("V", _): "void"
        case ("M", _): "datetime64"
        case ("m", _): "timedelta64"
        default: nil
        }
        let quoted = quote(descr)
        guard let name else { return "\(quoted) (unknown)" }
        return (order == ">" && (bits ?? 8) > 8 ? "big-endian " : "") + "\(name) (\(quoted))"
    }

    /// `text` in single quotes as Python shows a string, at most 64 characters of it.
    static func quote(_ text: String) -> String {
        "'" + (text.count <= 64 ? text : text.prefix(61) + "...") + "'"
    }

    /// The dimensions of a `shape` tuple.
    static func shape(_ value: PythonLiteral, fail: (String) -> CellForgeError) throws -> [Int] {
        guard case let .tuple(items) = value else { throw fail("'shape' is not a tuple") }
        guard items.count <= NumPyArray.maximumDimensionCount else {
            throw fail("shape has \(items.count) dimensions, more than NumPy's \(NumPyArray.maximumDimensionCount)")
        }
        return try items.enumerated().map { i, item in
            switch item {
            case let .integer(n?) where n >= 0: return n
            case .integer(nil): throw fail("shape dimension \(i) overflows a 64-bit integer")
            default: throw fail("shape dimension \(i) is not a non-negative integer")
            }
        }
    }

    /// A shape as Python writes a tuple: "()", "(3,)", "(2, 3)".
    static func format(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}
