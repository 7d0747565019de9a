import Foundation

/// A small SVG line-plot writer: panels side by side with a log₂ x axis and a log₁₀
/// y axis, a grid, labelled axes, reference lines and a legend in groups. No packages.
public struct SVGPlot: Sendable {
    public enum Marker: String, Sendable { case circle, square, triangle, cross, none }

    public struct Style: Equatable, Sendable {
        public var color: String
        /// SVG stroke-dasharray ("6 4"), or nil for solid.
        public var dash: String?
        public var marker: Marker
        public var width: Double
        public init(color: String, dash: String? = nil, marker: Marker = .circle, width: Double = 2) {
            self.color = color
            self.dash = dash
            self.marker = marker
            self.width = width
        }
    }

    public struct Series: Sendable {
        public var name: String
        public var style: Style
        public var points: [(x: Double, y: Double)]
        public init(name: String, style: Style, points: [(x: Double, y: Double)]) {
            self.name = name
            self.style = style
            self.points = points.sorted { $0.x < $1.x }
        }
    }

    /// A horizontal line across a panel, e.g. the FMA peak.
    public struct Line: Sendable {
        public var y: Double
        public var label: String
        public var color: String
        public init(y: Double, label: String, color: String = "#c0392b") {
            self.y = y
            self.label = label
            self.color = color
        }
    }

    public struct Panel: Sendable {
        public var title: String
        public var xLabel: String
        public var yLabel: String
        public var series: [Series]
        public var lines: [Line]
        public init(title: String, xLabel: String, yLabel: String, series: [Series], lines: [Line] = []) {
            self.title = title
            self.xLabel = xLabel
            self.yLabel = yLabel
            self.series = series
            self.lines = lines
        }
    }

    public struct LegendGroup: Sendable {
        public var title: String
        public var entries: [(label: String, style: Style)]
        public init(title: String, entries: [(label: String, style: Style)]) {
            self.title = title
            self.entries = entries
        }
    }

    public var title: String
    public var subtitle: String
    public var panels: [Panel]
    public var legend: [LegendGroup]
    public var footnote: String

    public init(title: String, subtitle: String = "", panels: [Panel], legend: [LegendGroup], footnote: String = "") {
        self.title = title
        self.subtitle = subtitle
        self.panels = panels
        self.legend = legend
        self.footnote = footnote
    }

    // Geometry (SVG user units).
    static let panelWidth = 520.0, panelHeight = 360.0
    static let left = 78.0, right = 22.0, top = 36.0, bottom = 52.0
    static let header = 64.0, legendRowHeight = 20.0

    /// The document.
    public func render() -> String {
        let rowsInLegend = legend.map { $0.entries.count + 1 }.max() ?? 0
        let legendHeight = legend.isEmpty ? 0 : Double(rowsInLegend) * Self.legendRowHeight + 16
        let width = Double(max(panels.count, 1)) * Self.panelWidth
        let notes = Self.wrap(footnote, columns: Int((width - Self.left - 10) / 6.2))
        let height = Self.header + Self.panelHeight + legendHeight + 8 + Double(notes.count) * 15
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(svgNumber(width))" height="\(svgNumber(height))" viewBox="0 0 \(svgNumber(width)) \(svgNumber(height))" \
        font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="#ffffff"/>
        <text x="\(svgNumber(width / 2))" y="24" text-anchor="middle" font-size="17" font-weight="bold">\(xmlEscape(title))</text>
        <text x="\(svgNumber(width / 2))" y="44" text-anchor="middle" font-size="12" fill="#555555">\(xmlEscape(subtitle))</text>

        """
        for (i, panel) in panels.enumerated() {
            svg += renderPanel(panel, originX: Double(i) * Self.panelWidth, originY: Self.header)
        }
        // Legend: groups side by side under the panels.
        var x = Self.left, y = Self.header + Self.panelHeight + 14
        let groupWidth = (width - Self.left) / Double(max(legend.count, 1))
        for group in legend {
            svg += "<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" font-weight=\"bold\">\(xmlEscape(group.title))</text>\n"
            for (k, entry) in group.entries.enumerated() {
                let ey = y + Double(k + 1) * Self.legendRowHeight - 4
                svg += "<line x1=\"\(svgNumber(x))\" y1=\"\(svgNumber(ey))\" x2=\"\(svgNumber(x + 34))\" y2=\"\(svgNumber(ey))\"\(stroke(entry.style))/>\n"
                svg += marker(entry.style, x + 17, ey)
                svg += "<text x=\"\(svgNumber(x + 42))\" y=\"\(svgNumber(ey + 4))\">\(xmlEscape(entry.label))</text>\n"
            }
            x += groupWidth
        }
        for (k, line) in notes.enumerated() {
            let ly = height - 10 - Double(notes.count - 1 - k) * 15
            svg += "<text x=\"\(svgNumber(Self.left))\" y=\"\(svgNumber(ly))\" font-size=\"11\" fill=\"#555555\">\(xmlEscape(line))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Splits `text` into lines of at most `columns` characters at spaces (a longer word gets a line of its own).
    static func wrap(_ text: String, columns: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > columns {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    func renderPanel(_ panel: Panel, originX: Double, originY: Double) -> String {
        let points = panel.series.flatMap(\.points).filter { $0.x > 0 && $0.y > 0 }
        let ys = points.map(\.y) + panel.lines.map(\.y)
        let xAxis = LogAxis(base: 2, min: points.map(\.x).min() ?? 1, max: points.map(\.x).max() ?? 2)
        let yAxis = LogAxis(base: 10, min: ys.min() ?? 1, max: ys.max() ?? 10)
        let x0 = originX + Self.left, x1 = originX + Self.panelWidth - Self.right
        let y0 = originY + Self.panelHeight - Self.bottom, y1 = originY + Self.top
        func px(_ x: Double) -> Double { x0 + (x1 - x0) * xAxis.fraction(x) }
        func py(_ y: Double) -> Double { y0 - (y0 - y1) * yAxis.fraction(y) }

        var s = "<g>\n"
        s += "<text x=\"\(svgNumber((x0 + x1) / 2))\" y=\"\(svgNumber(originY + 20))\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">\(xmlEscape(panel.title))</text>\n"
        s += "<rect x=\"\(svgNumber(x0))\" y=\"\(svgNumber(y1))\" width=\"\(svgNumber(x1 - x0))\" height=\"\(svgNumber(y0 - y1))\" fill=\"none\" stroke=\"#333333\"/>\n"
        for t in xAxis.ticks() {
            let x = px(t.value)
            s += "<line x1=\"\(svgNumber(x))\" y1=\"\(svgNumber(y1))\" x2=\"\(svgNumber(x))\" y2=\"\(svgNumber(y0))\" stroke=\"#e3e3e3\"/>\n"
            s += "<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(y0 + 16))\" text-anchor=\"middle\">\(xmlEscape(t.label))</text>\n"
        }
        for t in yAxis.ticks() {
            let y = py(t.value)
            s += "<line x1=\"\(svgNumber(x0))\" y1=\"\(svgNumber(y))\" x2=\"\(svgNumber(x1))\" y2=\"\(svgNumber(y))\" stroke=\"\(t.major ? "#d5d5d5" : "#eeeeee")\"/>\n"
            if !t.label.isEmpty {
                s += "<text x=\"\(svgNumber(x0 - 6))\" y=\"\(svgNumber(y + 4))\" text-anchor=\"end\">\(xmlEscape(t.label))</text>\n"
            }
        }
        s += "<text x=\"\(svgNumber((x0 + x1) / 2))\" y=\"\(svgNumber(y0 + 38))\" text-anchor=\"middle\">\(xmlEscape(panel.xLabel))</text>\n"
        let ly = (y0 + y1) / 2, lx = originX + 18
        s += "<text x=\"\(svgNumber(lx))\" y=\"\(svgNumber(ly))\" text-anchor=\"middle\" transform=\"rotate(-90 \(svgNumber(lx)) \(svgNumber(ly)))\">\(xmlEscape(panel.yLabel))</text>\n"
        for line in panel.lines where line.y > 0 {
            let y = py(line.y)
            s += "<line x1=\"\(svgNumber(x0))\" y1=\"\(svgNumber(y))\" x2=\"\(svgNumber(x1))\" y2=\"\(svgNumber(y))\" stroke=\"\(line.color)\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>\n"
            s += "<text x=\"\(svgNumber(x1 - 4))\" y=\"\(svgNumber(y - 5))\" text-anchor=\"end\" fill=\"\(line.color)\">\(xmlEscape(line.label))</text>\n"
        }
        for series in panel.series {
            let pts = series.points.filter { $0.x > 0 && $0.y > 0 }
            guard !pts.isEmpty else { continue }
            s += "<g><title>\(xmlEscape(series.name))</title>\n"
            if pts.count > 1 {
                let path = pts.map { "\(svgNumber(px($0.x))),\(svgNumber(py($0.y)))" }.joined(separator: " ")
                s += "<polyline points=\"\(path)\" fill=\"none\"\(stroke(series.style))/>\n"
            }
            for p in pts { s += marker(series.style, px(p.x), py(p.y)) }
            s += "</g>\n"
        }
        return s + "</g>\n"
    }

    func stroke(_ style: Style) -> String {
        " stroke=\"\(style.color)\" stroke-width=\"\(svgNumber(style.width))\"" + (style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")
    }

    func marker(_ style: Style, _ x: Double, _ y: Double) -> String {
        let c = style.color
        switch style.marker {
        case .none: return ""
        case .circle: return "<circle cx=\"\(svgNumber(x))\" cy=\"\(svgNumber(y))\" r=\"3.5\" fill=\"\(c)\"/>\n"
        case .square: return "<rect x=\"\(svgNumber(x - 3.5))\" y=\"\(svgNumber(y - 3.5))\" width=\"7\" height=\"7\" fill=\"#ffffff\" stroke=\"\(c)\" stroke-width=\"1.5\"/>\n"
        case .triangle:
            return "<polygon points=\"\(svgNumber(x)),\(svgNumber(y - 4.5)) \(svgNumber(x - 4.5)),\(svgNumber(y + 3.5)) \(svgNumber(x + 4.5)),\(svgNumber(y + 3.5))\" fill=\"\(c)\"/>\n"
        case .cross:
            return "<path d=\"M\(svgNumber(x - 4)) \(svgNumber(y - 4))L\(svgNumber(x + 4)) \(svgNumber(y + 4))M\(svgNumber(x - 4)) \(svgNumber(y + 4))L\(svgNumber(x + 4)) \(svgNumber(y - 4))\" stroke=\"\(c)\" stroke-width=\"1.8\"/>\n"
        }
    }
}

/// A logarithmic axis over whole powers of `base` covering [min, max].
public struct LogAxis: Equatable, Sendable {
    public var base: Double
    /// Exponents of the first and last power of `base` shown.
    public var low: Int
    public var high: Int

    public init(base: Double, min: Double, max: Double) {
        precondition(base > 1 && min > 0 && max >= min, "LogAxis: need 0 < min ≤ max and base > 1")
        self.base = base
        let l = Int((Foundation.log(min) / Foundation.log(base) + 1e-9).rounded(.down))
        let h = Int((Foundation.log(max) / Foundation.log(base) - 1e-9).rounded(.up))
        low = l
        high = Swift.max(h, l + 1)
    }

    /// Where `value` falls, 0 at base^low and 1 at base^high.
    public func fraction(_ value: Double) -> Double {
        (Foundation.log(value) / Foundation.log(base) - Double(low)) / Double(high - low)
    }

    public struct Tick: Equatable, Sendable {
        public var value: Double
        public var label: String
        /// Whether it is a whole power of the base.
        public var major: Bool
    }

    /// Powers of the base, labelled; for base 10 also 2× and 5× each decade when the axis
    /// spans at most three decades (labelled when at most two).
    public func ticks() -> [Tick] {
        var ticks: [Tick] = []
        for e in low...high {
            let v = Foundation.pow(base, Double(e))
            ticks.append(Tick(value: v, label: Self.label(v), major: true))
            if base == 10, e < high, high - low <= 3 {
                for m in [2.0, 5.0] {
                    ticks.append(Tick(value: m * v, label: high - low <= 2 ? Self.label(m * v) : "", major: false))
                }
            }
        }
        return ticks
    }

    /// "1", "64", "500", "2k", "10M", "0.1".
    public static func label(_ v: Double) -> String {
        if v < 1 { return String(format: "%g", v) }
        for (scale, prefix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] where v >= scale {
            return String(format: "%g", v / scale) + prefix
        }
        return String(format: "%g", v)
    }
}

/// Formats a coordinate with at most one decimal.
func svgNumber(_ v: Double) -> String {
    let r = (v * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
}

/// XML text escaping.
func xmlEscape(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}
