import Foundation

extension SafeTensors {
    /// The file's bytes as the reference implementation lays them out: `__metadata__`
    /// first, then the tensors sorted by dtype (F64 before F32) and name, their data
    /// back to back in the same order, and the header padded with spaces to a multiple of 8.
    /// - Throws: `CellForgeError.invalidArgument` if a tensor is named `__metadata__`.
    public func serialized() throws -> Data {
        guard tensors["__metadata__"] == nil else {
            throw CellForgeError.invalidArgument("a safetensors tensor cannot be named __metadata__")
        }
        let order = tensors.sorted { ($1.value.dtype.size, $0.key) < ($0.value.dtype.size, $1.key) }
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { Self.jsonString($0.key) + ":" + Self.jsonString($0.value) }
            fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, tensor) in order {
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append(Self.jsonString(name) + ":{\"dtype\":\"\(tensor.dtype)\",\"shape\":[\(shape)],"
                          + "\"data_offsets\":[\(offset),\(offset + tensor.data.count)]}")
            offset += tensor.data.count
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        header += repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for (_, tensor) in order { data.append(tensor.data) }
        return data
    }

    /// Writes the file atomically with `AtomicFile.write(_:to:)`: a temporary file in the
    /// same folder (a fresh random name, opened with O_EXCL | O_NOFOLLOW), flushed to disk,
    /// then renamed over `url`. On any failure the previous file at `url` is left as it was
    /// and the temporary file is removed.
    /// - Throws: `CellForgeError.invalidArgument` saying which step failed and why.
    public func write(to url: URL) throws {
        try AtomicFile.write(serialized(), to: url)
    }

    /// `s` as a JSON string literal, escaped as serde_json does.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
