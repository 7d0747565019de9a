/// Cuts a sequence's steps into consecutive segments, run one after another with the state
/// carried from each to the next. A kernel gives the same results, bit for bit, in segments as
/// in one call, so segments bound the scratch a call needs (tapes, layer outputs) without
/// changing what it computes.
@usableFromInline
enum StepSegments {
    /// The most steps one segment of inference without gradients covers (`ModelDriver.infer`,
    /// and so `BatchDriver.infer`), 256: their scratch is sized for this, not for the sequence's length.
    @usableFromInline static let inference = 256

    /// Calls `body(start, steps)` for segments of at most `maximum` steps covering steps
    /// 0..<`length` in order (none when `length` is 0).
    @inlinable
    static func forEach(length: Int, maximum: Int, _ body: (_ start: Int, _ steps: Int) -> Void) {
        var start = 0
        while start < length {
            let steps = min(maximum, length - start)
            body(start, steps)
            start += steps
        }
    }
}
