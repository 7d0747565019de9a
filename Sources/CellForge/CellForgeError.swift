/// Every error CellForge throws. Each case's description is one line a user can act on:
/// text that came from a file or an argument is shown with control characters, line
/// separators and bidirectional-text overrides escaped (`MessageText.escaped(_:)`), so a
/// message can neither break a line nor reorder what a terminal shows.
///
/// The library's contract for bad input: public APIs that take user data
/// (arrays, files, sizes) validate it and throw one of these before touching
/// any state. Low-level `Unsafe…Pointer` kernel entry points (see
/// `RecurrentKernel`) are unchecked for speed and document their preconditions;
/// the batch driver validates once per call before reaching them.
public enum CellForgeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A size (hidden, input, batch, …) is outside its allowed range.
    case invalidSize(name: String, value: Int, allowed: String)
    /// A vector or tensor has the wrong number of elements.
    case shapeMismatch(name: String, expected: String, actual: String)
    /// A sequence with zero time steps was passed where at least one is needed.
    case emptySequence
    /// An operation was asked of the wrong cell kind.
    case cellMismatch(expected: CellKind, actual: CellKind)
    /// A value is NaN or infinite where finite values are required.
    case nonFinite(name: String)
    /// A file or buffer could not be read as the format it claims to be.
    case invalidFormat(String)
    /// Any other invalid argument, with what was wrong.
    case invalidArgument(String)

    public var description: String { MessageText.escaped(unescapedDescription) }

    private var unescapedDescription: String {
        switch self {
        case let .invalidSize(name, value, allowed):
            "invalid \(name) \(value): must be \(allowed)"
        case let .shapeMismatch(name, expected, actual):
            "shape mismatch for \(name): expected \(expected), got \(actual)"
        case .emptySequence:
            "empty sequence: at least one time step is required"
        case let .cellMismatch(expected, actual):
            "cell mismatch: expected \(expected), got \(actual)"
        case let .nonFinite(name):
            "non-finite value (NaN or infinity) in \(name)"
        case let .invalidFormat(message):
            "invalid format: \(message)"
        case let .invalidArgument(message):
            message
        }
    }
}
