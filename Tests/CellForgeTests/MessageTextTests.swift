import CellForge
import Testing

/// Text from a file or argument cannot break an error's one line or reorder what a terminal
/// shows: control characters, line separators and bidirectional overrides are escaped.
@Suite struct MessageTextTests {
    @Test(arguments: ["\n", "\r", "\t", "\u{1B}[31m", "\u{7F}", "\u{85}", "\u{2028}", "\u{2029}", "\u{202E}", "\u{2066}",
                      "\u{200F}", "\u{061C}"])
    func escapesLineBreakingAndReorderingCharacters(_ hostile: String) {
        let message = CellForgeError.invalidFormat("layer type a\(hostile)b").description
        let raw = hostile.unicodeScalars.first!
        #expect(!message.unicodeScalars.contains(raw), "raw in \(message.debugDescription)")
        let code = String(raw.value, radix: 16, uppercase: true)
        #expect(message.contains("a\\u{\(code)}"), "\(message.debugDescription)")
    }

    @Test func keepsPrintableTextIncludingNonASCII() {
        let text = "LSTM H8 → Dense \"héllo\" 𝛔 日本"
        #expect(MessageText.escaped(text) == text)
        #expect(CellForgeError.invalidArgument(text).description == text)
    }

    /// Every case of the error goes through the escaping, not only the free-text ones.
    @Test func escapesInEveryCase() {
        let errors: [CellForgeError] = [
            .invalidSize(name: "a\nb", value: 1, allowed: "c"), .shapeMismatch(name: "a\nb", expected: "c", actual: "d"),
            .nonFinite(name: "a\nb"), .invalidFormat("a\nb"), .invalidArgument("a\nb"),
        ]
        for error in errors { #expect(!error.description.contains("\n") && error.description.contains("a\\u{A}b")) }
    }
}
