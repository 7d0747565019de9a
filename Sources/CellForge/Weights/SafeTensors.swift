/// The named tensors of one safetensors file, plus its optional string metadata.
///
/// The format: an 8-byte little-endian header length N, N bytes of JSON
/// `{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …,
/// "__metadata__": {…}}`, then the raw little-endian data, offsets relative to
/// its start. CellForge reads and writes the F32 and F64 dtypes; see
/// `init(data:)` for what is validated and `write(to:)` for what is written.
public struct SafeTensors: Equatable, Sendable {
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// The `__metadata__` map (empty if the file has none).
    public var metadata: [String: String]

    /// The largest header accepted when reading, 100 MB (the reference implementation's limit).
    public static var maximumHeaderLength: Int { 100_000_000 }

    /// A file's contents from its tensors and metadata.
    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor called `name`, if any.
    public subscript(name: String) -> Tensor? {
        get { tensors[name] }
        set { tensors[name] = newValue }
    }

    /// The tensor names, sorted.
    public var names: [String] { tensors.keys.sorted() }
}
