extension RTNeuralModel {
    /// The largest RTNeural JSON file read, 256 MiB; a larger one is refused before it is read.
    public static var maximumFileSize: Int { 256 << 20 }

    /// The deepest nesting of JSON arrays and objects read, 512.
    public static var maximumJSONDepth: Int { 512 }

    /// The most JSON values (numbers, strings, arrays, …) a file may hold, 2^26: with the file
    /// size limit, parsed numbers take at most 512 MiB.
    public static var maximumJSONValueCount: Int { 1 << 26 }

    /// The most JSON arrays and objects a file may hold, 2^21 (a tensor row is one array).
    public static var maximumJSONContainerCount: Int { 1 << 21 }

    static var jsonLimits: JSONLimits {
        JSONLimits(maximumDepth: maximumJSONDepth, maximumValueCount: maximumJSONValueCount,
                   maximumContainerCount: maximumJSONContainerCount)
    }
}
