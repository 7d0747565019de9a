/// Checks of a caller's contract on unchecked entry points, whose failure is a programming
/// error. Unlike `precondition`, whose message an optimised (-O) build drops, leaving only
/// "precondition failure", a failed check prints its message in every build configuration.
@usableFromInline
enum Contract {
    /// Traps with `message` unless `condition` holds.
    @inlinable @inline(__always)
    static func require(_ condition: Bool, _ message: @autoclosure () -> String,
                        file: StaticString = #fileID, line: UInt = #line) {
        if _slowPath(!condition) { fatalError(message(), file: file, line: line) }
    }
}
