/// The `sequencesPerChunk` values `BatchDriver` and `ModelDriver` accept, and how many chunks
/// a batch is cut into.
@usableFromInline
enum SequencesPerChunk {
    /// The largest value accepted (see `BatchDriver.maximumSequencesPerChunk`); it also keeps a
    /// chunk's end, its first sequence plus this, far from overflow.
    @usableFromInline static let maximum = 1 << 20

    /// Throws unless `count` is between 1 and `maximum`.
    static func validate(_ count: Int) throws {
        guard (1...maximum).contains(count) else {
            throw CellForgeError.invalidSize(name: "sequences per chunk", value: count, allowed: "between 1 and \(maximum)")
        }
    }

    /// ⌈`sequences` / `perChunk`⌉, the chunks a batch of `sequences` is cut into, without
    /// overflow for any `sequences` ≥ 0 and `perChunk` ≥ 1.
    @inlinable static func chunks(_ sequences: Int, perChunk: Int) -> Int {
        sequences / perChunk + (sequences % perChunk == 0 ? 0 : 1)
    }
}
