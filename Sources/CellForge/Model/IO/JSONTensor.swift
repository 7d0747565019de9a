import Foundation

/// A rectangular nested JSON array of numbers, checked and flattened row-major, for formats
/// that store tensors as JSON (RTNeural).
enum JSONTensor {
    /// `json` as an F64 tensor (exact: JSON numbers are read as Double) of exactly `expected`
    /// shape, its values written once, straight into the tensor's data.
    /// - Throws: `CellForgeError.shapeMismatch` naming `name` with both shapes if it is not a
    ///   rectangular array of that shape, `.invalidFormat` if an element is not a number.
    static func tensor(_ json: JSONValue, name: String, shape expected: [Int]) throws -> SafeTensors.Tensor {
        var shape: [Int] = []
        var node = json
        descent: while true {
            switch node {
            case let .numbers(numbers): shape.append(numbers.count); break descent
            case let .array(array):
                shape.append(array.count)
                guard let first = array.first else { break descent }
                node = first
            default: break descent
            }
        }
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

    /// Writes the numbers of `json` as little-endian F64 at `written` onwards, requiring every
    /// array at depth d to have shape[d] elements and numbers exactly at depth shape.count.
    private static func flatten(_ json: JSONValue, depth: Int, shape: [Int], into raw: UnsafeMutableRawBufferPointer,
                                written: inout Int, name: String) throws {
        func store(_ number: Double) {
            raw.storeBytes(of: number.bitPattern.littleEndian, toByteOffset: written * 8, as: UInt64.self)
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
