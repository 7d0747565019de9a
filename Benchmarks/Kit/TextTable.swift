import Foundation

/// A table rendered as aligned plain text or as GitHub Markdown.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, _ alignment: Alignment = .right) {
            self.title = title
            self.alignment = alignment
        }
    }

    public enum Style: Sendable { case text, markdown }

    public var columns: [Column]
    public private(set) var rows: [[String]] = []

    public init(_ columns: [Column]) { self.columns = columns }

    /// Adds a row; missing cells are empty, extra cells are an error.
    public mutating func add(_ cells: [String]) {
        precondition(cells.count <= columns.count, "TextTable: \(cells.count) cells for \(columns.count) columns")
        rows.append(cells + Array(repeating: "", count: columns.count - cells.count))
    }

    /// The table, one line per row, no trailing newline.
    public func render(_ style: Style = .text) -> String {
        let widths = columns.indices.map { c in
            rows.reduce(columns[c].title.count) { Swift.max($0, $1[c].count) }
        }
        func pad(_ s: String, _ c: Int) -> String {
            let fill = String(repeating: " ", count: widths[c] - s.count)
            return columns[c].alignment == .left ? s + fill : fill + s
        }
        switch style {
        case .text:
            var lines = [columns.indices.map { pad(columns[$0].title, $0) }.joined(separator: "  ")]
            lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
            for row in rows { lines.append(columns.indices.map { pad(row[$0], $0) }.joined(separator: "  ")) }
            return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
        case .markdown:
            func line(_ cells: [String]) -> String {
                "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
            }
            var lines = [line(columns.map(\.title))]
            lines.append("|" + columns.map { $0.alignment == .left ? "---|" : "--:|" }.joined())
            for row in rows { lines.append(line(row)) }
            return lines.joined(separator: "\n")
        }
    }
}
