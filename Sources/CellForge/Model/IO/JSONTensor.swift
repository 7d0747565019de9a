/// A rectangular nested JSON array of numbers, checked and flattened row-major, for formats
/// that store tensors as JSON (RTNeural).
struct JSONTensor {
    /// The dimensions, outermost first.
    let shape: [Int]
    /// The elements, row-major.
    let values: [Double]

    /// Reads `json` as a tensor of exactly `expected` shape.
    /// - Throws: `CellForgeError.shapeMismatch` naming `name` with both shapes if it is not a
    ///   rectangular array of that shape, `.invalidFormat` if an element is not a number,
    ///   `.nonFinite` for NaN or infinity.
    init(_ json: JSONValue, name: String, shape expected: [Int]) throws {
        var shape: [Int] = []
        var node = json
        while let array = node.array {
            shape.append(array.count)
            guard let first = array.first else { break }
            node = first
        }
        guard shape == expected else {
            throw CellForgeError.shapeMismatch(name: name, expected: SafeTensors.Tensor.format(expected),
                                               actual: SafeTensors.Tensor.format(shape))
        }
        var values: [Double] = []
        values.reserveCapacity(shape.reduce(1, *))
        try Self.flatten(json, depth: 0, shape: shape, into: &values, name: name)
        guard values.allSatisfy(\.isFinite) else { throw CellForgeError.nonFinite(name: name) }
        self.shape = shape
        self.values = values
    }

    /// The tensor as safetensors F64 (exact: JSON numbers are read as Double).
    var tensor: SafeTensors.Tensor { try! SafeTensors.Tensor(shape: shape, values: values) }

    /// Appends the numbers of `json` to `values`, requiring every array at depth d to have
    /// shape[d] elements and numbers exactly at depth shape.count.
    private static func flatten(_ json: JSONValue, depth: Int, shape: [Int], into values: inout [Double], name: String) throws {
        if depth < shape.count {
            guard let array = json.array, array.count == shape[depth] else {
                throw CellForgeError.invalidFormat("\(name) is not a rectangular \(SafeTensors.Tensor.format(shape)) array of numbers")
            }
            for element in array { try flatten(element, depth: depth + 1, shape: shape, into: &values, name: name) }
        } else {
            guard case let .number(number) = json else {
                throw CellForgeError.invalidFormat("\(name) holds \(json.summary), not a number")
            }
            values.append(number)
        }
    }
}
