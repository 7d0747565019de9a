import Foundation

/// A PyTorch `state_dict` written as JSON, the form RTNeural's `torch_helpers` loads:
/// one flat object of tensor name → the tensor as nested arrays (`tensor.tolist()`),
///
/// ```python
/// json.dump({k: v.tolist() for k, v in model.state_dict().items()}, f)
/// # {"lstm.weight_ih_l0": [[0.1], …], "lstm.bias_ih_l0": [0.2, …], "dense.weight": [[…]], …}
/// ```
///
/// read into named F64 tensors (`SafeTensors`, exact: JSON numbers are read as Double), whose
/// shapes are the arrays' nesting: a number is a scalar tensor (shape []), `[[a, b], [c, d]]`
/// is [2, 2]. The result loads like a safetensors state_dict, through `PyTorchWeights` and
/// `PyTorchModelWeights`.
///
/// The JSON is read strictly (RFC 8259, `JSONParser`) within `RTNeuralModel`'s limits, the
/// same files' family: at most `RTNeuralModel.maximumFileSize` bytes,
/// `maximumJSONDepth` nesting, `maximumJSONValueCount` values and `maximumJSONContainerCount`
/// arrays and objects; every tensor is checked to be rectangular before its data is allocated.
public enum PyTorchStateDictJSON {
    /// The tensors in the JSON state_dict file at `url`, of at most `RTNeuralModel.maximumFileSize` bytes.
    /// - Throws: as `tensors(json:)`, or `CellForgeError.invalidArgument` if the file cannot be read.
    public static func tensors(contentsOf url: URL) throws -> SafeTensors {
        try tensors(json: RegularFile.read(url, maximumSize: RTNeuralModel.maximumFileSize))
    }

    /// The tensors in JSON state_dict bytes, all or nothing.
    /// - Throws: `CellForgeError.invalidFormat`, one line: for bad JSON the problem and its byte
    ///   offset, line and column; otherwise naming the tensor at fault (not a number or a
    ///   rectangular array of numbers, or an element that is not a number).
    public static func tensors(json data: Data) throws -> SafeTensors {
        guard data.count <= RTNeuralModel.maximumFileSize else {
            throw CellForgeError.invalidFormat("\(source) of \(data.count) bytes exceeds the limit of "
                + "\(RTNeuralModel.maximumFileSize) bytes")
        }
        let root = try JSONValue.parse(data, what: source, limits: RTNeuralModel.jsonLimits)
        guard let members = root.object else {
            throw CellForgeError.invalidFormat("\(source) is \(root.summary), not an object of tensor name → nested array")
        }
        var file = SafeTensors()
        for name in members.keys.sorted() {
            let value = members[name]!
            let what = "\(source) tensor \(SafeTensors.quoted(name))"
            switch value {
            case .number, .numbers, .array: break
            default: throw CellForgeError.invalidFormat("\(what) is \(value.summary), not a number or a nested array of numbers")
            }
            file[name] = try JSONTensor.tensor(value, name: what)
        }
        return file
    }

    private static let source = "PyTorch state_dict JSON"
}
