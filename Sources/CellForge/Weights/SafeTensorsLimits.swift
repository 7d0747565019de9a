import Foundation

extension SafeTensors {
    /// The most tensors a file read by CellForge may hold, 65,536 (a checkpoint holds at
    /// most 12; a whole model a few hundred).
    public static var maximumTensorCount: Int { 65_536 }

    /// The most JSON values a header may hold, 2^20 (about 16 per tensor at the tensor limit),
    /// so that parsing work and memory stay proportional to a sane header.
    public static var maximumHeaderValueCount: Int { 1 << 20 }

    /// The limits the header's JSON is parsed within: nesting at most 64 deep (a valid header
    /// nests 3 deep: the header, a tensor's entry, its shape), and at most
    /// `maximumHeaderValueCount` values, arrays and objects included.
    static var headerJSONLimits: JSONLimits {
        JSONLimits(maximumDepth: 64, maximumValueCount: maximumHeaderValueCount, maximumContainerCount: maximumHeaderValueCount)
    }

    /// Counts the header's top-level entries and its JSON values in one pass over the bytes
    /// (strings skipped), before any parsing, and throws if either is over its limit.
    /// - Throws: `CellForgeError.invalidFormat` naming the count and the limit.
    static func checkHeaderWork(_ header: Data) throws {
        var (depth, entries, values) = (0, 0, 1)
        var (inString, escaped) = (false, false)
        for byte in header {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ":"): if depth == 1 { entries += 1 }
            case UInt8(ascii: ","): values += 1
            default: continue
            }
            guard entries <= maximumTensorCount + 1 else {
                throw CellForgeError.invalidFormat("safetensors header has more than \(maximumTensorCount + 1) entries "
                    + "(tensors plus __metadata__): the limit is \(maximumTensorCount) tensors")
            }
            guard values <= maximumHeaderValueCount else {
                throw CellForgeError.invalidFormat("safetensors header has more than \(maximumHeaderValueCount) JSON values: "
                    + "the limit is \(maximumHeaderValueCount)")
            }
        }
    }
}
