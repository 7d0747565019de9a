import CellForge

/// The names a manifest may give the generated registry type: a plain Swift identifier that
/// is not a keyword, not a name the generated files refer to, and not a kernel type's name,
/// so that every generated file compiles whatever the manifest says.
enum SwiftNames {
    /// Swift's keywords, the context-specific ones included (The Swift Programming Language,
    /// "Lexical Structure: Keywords and Punctuation"), and `_`.
    static let keywords: Set<String> = [
        // Declarations.
        "associatedtype", "borrowing", "class", "consuming", "deinit", "enum", "extension", "fileprivate",
        "func", "import", "init", "inout", "internal", "let", "nonisolated", "open", "operator", "private",
        "precedencegroup", "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias", "var",
        // Statements.
        "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard",
        "if", "in", "repeat", "return", "throw", "switch", "where", "while",
        // Expressions and types.
        "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try",
        // Patterns.
        "_",
        // Reserved in particular contexts.
        "actor", "any", "associativity", "async", "consume", "convenience", "copy", "didSet", "discard",
        "dynamic", "each", "final", "get", "indirect", "infix", "isolated", "lazy", "left", "macro", "mutating",
        "none", "nonmutating", "optional", "override", "package", "postfix", "precedence", "prefix", "Protocol",
        "required", "right", "sending", "set", "some", "Type", "unowned", "weak", "willSet",
    ]

    /// The module-level names the generated kernels and registries refer to (standard-library
    /// and CellForge types and functions, and the modules the registry may not shadow); a
    /// registry of one of these names would shadow it in every generated file.
    /// `GeneratedNamesTests` checks that generated sources use no others.
    static let generatedCodeNames: Set<String> = [
        "Bool", "Double", "Float", "Int", "SIMD2", "SIMD4", "SIMD8", "SIMD16", "SIMD32", "SIMD64",
        "UnsafeMutablePointer", "UnsafePointer", "UnsafeMutableBufferPointer", "UnsafeBufferPointer",
        "min", "precondition", "preconditionFailure", "stride", "withUnsafeTemporaryAllocation",
        "CellForge", "CellForgeKernels", "CellForgeError", "GeneratedKernel", "KernelBatch", "KernelKey",
        "KernelLayout", "KernelOpener", "KernelRegistry", "SIMDMath", "StackScratch",
    ]

    /// Why `name` cannot name the registry type, or nil if it can.
    static func registryNameProblem(_ name: String) -> String? {
        if !isIdentifier(name) { return "not a Swift identifier: ASCII letters, digits and _, not starting with a digit" }
        if keywords.contains(name) { return "a Swift keyword" }
        if generatedCodeNames.contains(name) { return "a name the generated code uses" }
        if let cell = CellKind.allCases.first(where: { name.hasPrefix($0.displayName + "_") }) {
            return "names starting \(cell.displayName)_ are kept for kernel types"
        }
        return nil
    }

    /// Whether `text` is a plain Swift identifier (ASCII letters, digits, underscores; no leading digit).
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}
