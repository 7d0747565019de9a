import CellForge
import Foundation
import Testing

/// Issue 14, finding 5: a small header cannot cost gigabytes (limits on tensors and JSON
/// values, checked by a scan before parsing), and tensor data is not held twice.
@Suite struct SafeTensorsLimitsTests {
    /// A file with `header` (padded to 8 bytes) and `data`.
    static func file(header: String, data: [UInt8] = []) -> Data {
        var bytes = Array(header.utf8)
        bytes += repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8)
        var file = Data()
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: bytes)
        file.append(contentsOf: data)
        return file
    }

    @Test func tooManyTensorsAreRefusedBeforeParsing() throws {
        let count = SafeTensors.maximumTensorCount + 2
        let entries = (0..<count).map { "\"t\($0)\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}" }
        let file = Self.file(header: "{" + entries.joined(separator: ",") + "}")
        #expect(throws: CellForgeError.invalidFormat("safetensors header has more than 65537 entries (tensors plus __metadata__): "
                                                     + "the limit is 65536 tensors")) { try SafeTensors(data: file) }
        // At the limit it loads.
        let atLimit = Self.file(header: "{" + entries.prefix(SafeTensors.maximumTensorCount).joined(separator: ",") + "}")
        #expect(try SafeTensors(data: atLimit).tensors.count == SafeTensors.maximumTensorCount)
    }

    @Test func tooManyJSONValuesAreRefusedBeforeParsing() throws {
        let ones = Array(repeating: "1", count: SafeTensors.maximumHeaderValueCount).joined(separator: ",")
        let file = Self.file(header: "{\"t\":{\"dtype\":\"F32\",\"shape\":[\(ones)],\"data_offsets\":[0,4]}}", data: [0, 0, 0, 0])
        #expect(throws: CellForgeError.invalidFormat("safetensors header has more than 1048576 JSON values: the limit is 1048576")) {
            try SafeTensors(data: file)
        }
    }

    /// Braces, brackets, colons and commas inside strings do not count.
    @Test func punctuationInStringsIsNotCounted() throws {
        let name = String(repeating: ",:{[", count: 10)
        let file = Self.file(header: "{\"__metadata__\":{\"k\":\"\\\"\(name)\"},\"\(name)\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                             data: [0, 0, 128, 63])
        let parsed = try SafeTensors(data: file)
        #expect(parsed[name]?.values(as: Float.self) == [1] && parsed.metadata["k"] == "\"" + name)
    }

    /// The tensors are slices of the buffer they were read from, not copies of it.
    @Test func tensorDataSharesTheFileBuffer() throws {
        let original = SafeTensors(tensors: ["a": try .init(shape: [4], values: [1, 2, 3, 4] as [Float]),
                                             "b": try .init(shape: [2], values: [5, 6] as [Double])])
        let bytes = try original.serialized()
        let parsed = try SafeTensors(data: bytes)
        #expect(parsed == original)
        bytes.withUnsafeBytes { file in
            let range = UInt(bitPattern: file.baseAddress!)..<UInt(bitPattern: file.baseAddress! + file.count)
            for (name, tensor) in parsed.tensors {
                tensor.data.withUnsafeBytes { t in
                    #expect(range.contains(UInt(bitPattern: t.baseAddress!)), "tensor \(name) points into the file's buffer")
                }
            }
        }
    }
}
