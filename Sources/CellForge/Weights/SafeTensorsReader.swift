import Foundation

extension SafeTensors {
    /// Reads a safetensors file: the whole file into one buffer (`RegularFile.read(_:)`), which
    /// the tensors share (the data is not copied again), so reading costs about the file's size
    /// in memory.
    /// - Throws: `CellForgeError.invalidArgument` if the file cannot be read, otherwise as `init(data:)`.
    public init(contentsOf url: URL) throws {
        try self.init(data: RegularFile.read(url))
    }

    /// Parses safetensors bytes, validating the whole header before taking any tensor data.
    /// The tensors share `data`'s buffer (slices, not copies).
    ///
    /// Checked: the header length fits in the file and is at most `maximumHeaderLength`; a
    /// scan of the header, before it is parsed, finds at most `maximumTensorCount` entries and
    /// `maximumHeaderValueCount` JSON values (so a small header cannot cost gigabytes); the
    /// header is strict JSON (`headerJSONLimits`: UTF-8, no NaN or Infinity, no number beyond
    /// Double's range, no trailing comma, nesting at most 64 deep, and no duplicate key, which
    /// would make the header ambiguous), and if it is not the message names the problem and
    /// its byte offset; the header is a JSON object; each entry has a dtype (F32 or F64; others
    /// are refused by name), a shape of non-negative integers whose element and byte counts do
    /// not overflow, and integer `data_offsets` [begin, end] with begin ≤ end ≤ the data size and
    /// end − begin = the byte count; no two tensors' ranges overlap; `__metadata__`, if
    /// present, maps strings to strings. So no tensor is larger than the file. A dimension or
    /// offset must be written as a JSON integer (not a boolean or a fraction) below 2^53: JSON
    /// numbers are read as Double, which holds every such integer exactly, and a larger one
    /// (which may have been rounded) is refused rather than rounded.
    /// - Throws: `CellForgeError.invalidFormat` naming the tensor at fault.
    public init(data: Data) throws {
        guard data.count >= 8 else {
            throw CellForgeError.invalidFormat("safetensors file of \(data.count) bytes is shorter than its 8-byte header length")
        }
        let start = data.startIndex
        let declared = data[start..<start + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let available = data.count - 8
        guard declared <= UInt64(min(available, Self.maximumHeaderLength)) else {
            throw CellForgeError.invalidFormat("safetensors header length \(declared) exceeds "
                + (declared > UInt64(available) ? "the \(available) bytes after it" : "the limit of \(Self.maximumHeaderLength) bytes"))
        }
        let headerLength = Int(declared)
        let dataStart = start + 8 + headerLength
        try Self.checkHeaderWork(data[(start + 8)..<dataStart])
        let header = try Self.parseHeader(data[(start + 8)..<dataStart], dataSize: data.count - 8 - headerLength)
        var tensors: [String: Tensor] = [:]
        for (name, entry) in header.entries {
            tensors[name] = Tensor(validated: entry.dtype, shape: entry.shape, data: data[(dataStart + entry.begin)..<(dataStart + entry.end)])
        }
        self.init(tensors: tensors, metadata: header.metadata)
    }

    /// One validated header entry.
    private struct Entry {
        let dtype: DType, shape: [Int], begin: Int, end: Int
    }

    /// Parses and validates the JSON header against a data section of `dataSize` bytes.
    private static func parseHeader(_ bytes: Data, dataSize: Int) throws -> (entries: [String: Entry], metadata: [String: String]) {
        guard let root = try JSONValue.parse(bytes, what: "safetensors header", limits: headerJSONLimits).object else {
            throw CellForgeError.invalidFormat("safetensors header is not a JSON object")
        }
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for name in root.keys.sorted() {
            if name == "__metadata__" {
                guard let m = root[name]?.object else {
                    throw CellForgeError.invalidFormat("safetensors __metadata__ is not a JSON object")
                }
                for key in m.keys.sorted() {
                    guard let s = m[key]?.string else {
                        throw CellForgeError.invalidFormat("safetensors __metadata__ value for \(quoted(key)) is not a string")
                    }
                    metadata[key] = s
                }
            } else {
                entries[name] = try entry(name, root[name]!, dataSize: dataSize)
            }
        }
        try checkNoOverlap(entries)
        return (entries, metadata)
    }

    /// Validates one tensor's header entry.
    private static func entry(_ name: String, _ value: JSONValue, dataSize: Int) throws -> Entry {
        func fail(_ what: String) -> CellForgeError { .invalidFormat("safetensors tensor \(quoted(name)): \(what)") }
        guard let fields = value.object else { throw fail("entry is not a JSON object") }
        guard let dtypeName = fields["dtype"]?.string else { throw fail("missing or non-string dtype") }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw fail(knownDTypes.contains(dtypeName)
                       ? "dtype \(dtypeName) is not supported (CellForge reads F32 and F64)"
                       : "unknown dtype \(quoted(dtypeName))")
        }
        guard let shapeItems = fields["shape"]?.array else { throw fail("missing or non-array shape") }
        let shape = shapeItems.compactMap(\.integer).filter { $0 >= 0 }
        guard shape.count == shapeItems.count else { throw fail("shape dimensions must be non-negative integers below 2^53") }
        guard let count = Tensor.elementCount(shape) else {
            throw fail("shape \(Tensor.format(shape)) has more elements than can be counted")
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow else { throw fail("shape \(Tensor.format(shape)) of \(dtype) overflows the byte count") }
        guard let offsets = fields["data_offsets"]?.array, offsets.count == 2,
              let begin = offsets[0].integer, let end = offsets[1].integer, begin >= 0, end >= 0 else {
            throw fail("data_offsets must be two non-negative integers below 2^53 [begin, end]")
        }
        guard begin <= end, end <= dataSize else {
            throw fail("data_offsets [\(begin), \(end)] do not fit the \(dataSize)-byte data section")
        }
        guard end - begin == byteCount else {
            throw fail("data_offsets [\(begin), \(end)] hold \(end - begin) bytes but \(dtype) \(Tensor.format(shape)) needs \(byteCount)")
        }
        return Entry(dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// Throws naming two tensors whose (non-empty) byte ranges overlap.
    private static func checkNoOverlap(_ entries: [String: Entry]) throws {
        let ranges = entries.filter { $0.value.begin < $0.value.end }
            .sorted { ($0.value.begin, $0.key) < ($1.value.begin, $1.key) }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.value.begin < a.value.end {
            throw CellForgeError.invalidFormat("safetensors tensors \(quoted(a.key)) and \(quoted(b.key)) overlap: "
                + "[\(a.value.begin), \(a.value.end)) and [\(b.value.begin), \(b.value.end))")
        }
    }

    /// The dtypes the safetensors format defines, to tell "unsupported" from "unknown".
    private static let knownDTypes: Set<String> = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3",
                                                   "F6_E3M2", "I16", "U16", "F16", "BF16", "I32", "U32", "I64", "U64", "C64"]

    /// A name for a one-line message: quoted, escaped, at most 64 characters.
    static func quoted(_ name: String) -> String {
        name.count <= 64 ? name.debugDescription : (name.prefix(61) + "...").debugDescription
    }
}
