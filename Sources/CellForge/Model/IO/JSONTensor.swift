import Foundation

/// A rectangular nested JSON array of numbers, checked and flattened row-major, for formats
/// that store tensors as JSON (RTNeural, PyTorch state_dicts dumped as JSON).
enum JSONTensor {
    /// `json` as an F64 tensor (exact: JSON numbers are read as Double) of exactly `expected`
    /// shape, its values written once, straight into the tensor's data.
    /// - Throws: `CellForgeError.shapeMismatch` naming `name` with both shapes if it is not a
    ///   rectangular array of that shape, `.invalidFormat` if an element is not a number.
    static func tensor(_ json: JSONValue, name: String, shape expected: [Int]) throws -> SafeTensors.Tensor {
        let shape = leadingShape(json)
        guard shape == expected else {
            throw CellForgeError.shapeMismatch(name: name, expected: SafeTensors.Tensor.format(expected),
                                               actual: SafeTensors.Tensor.format(shape))
        }
        let count = shape.reduce(1, *)
        var data = Data(count: count * SafeTensors.DType.f64.size)
        try data.withUnsafeMutableBytes { raw in
            var written = 0
            try flatten(json, depth: 0, shape: shape, into: raw, written: &written, name: name)
        }
        return SafeTensors.Tensor(validated: .f64, shape: shape, data: data)
    }

    /// `json` as an F64 tensor of the shape its nesting gives: a number is a scalar (shape []),
    /// an array of n numbers [n], an array of n such arrays [n, …]. Rectangularity is checked
    /// before the tensor's data is allocated, so memory stays proportional to the numbers read.
    /// - Throws: `CellForgeError.invalidFormat` naming `name` if it is not a rectangular array
    ///   of numbers (or a number).
    static func tensor(_ json: JSONValue, name: String) throws -> SafeTensors.Tensor {
        let shape = leadingShape(json)
        var counted = 0
        try flatten(json, depth: 0, shape: shape, into: nil, written: &counted, name: name)
        return try tensor(json, name: name, shape: shape)
    }

    /// The lengths of `json`, its first element, the first element of that, … down to a non-array.
    private static func leadingShape(_ json: JSONValue) -> [Int] {
        var shape: [Int] = []
        var node = json
        while true {
            switch node {
            case let .numbers(numbers): shape.append(numbers.count); return shape
            case let .array(array):
                shape.append(array.count)
                guard let first = array.first else { return shape }
                node = first
            default: return shape
            }
        }
    }

    /// Writes the numbers of `json` as little-endian F64 at `written` onwards (only counts them
    /// when `raw` is nil), requiring every array at depth d to have shape[d] elements and
    /// numbers exactly at depth shape.count.
    private static func flatten(_ json: JSONValue, depth: Int, shape: [Int], into raw: UnsafeMutableRawBufferPointer?,
                                written: inout Int, name: String) throws {
        func store(_ number: Double) {
            raw?.storeBytes(of: number.bitPattern.littleEndian, toByteOffset: written * 8, as: UInt64.self)
            written += 1
        }
        guard depth < shape.count else {
            guard case let .number(number) = json else {
                throw CellForgeError.invalidFormat("\(name) holds \(json.summary), not a number")
            }
            return store(number)
        }
        let notRectangular = CellForgeError.invalidFormat("\(name) is not a rectangular \(SafeTensors.Tensor.format(shape)) array of numbers")
        switch json {
        case let .numbers(numbers) where depth == shape.count - 1:
            guard numbers.count == shape[depth] else { throw notRectangular }
            numbers.forEach(store)
        case let .array(array):
            guard array.count == shape[depth] else { throw notRectangular }
            for element in array { try flatten(element, depth: depth + 1, shape: shape, into: raw, written: &written, name: name) }
        default:
            throw notRectangular
        }
    }
}
