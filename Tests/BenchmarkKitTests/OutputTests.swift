import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import BenchmarkKit

@Suite struct TextTableTests {
    @Test func alignsColumns() {
        var t = TextTable([.init("name", .left), .init("value")])
        t.add(["a", "1"])
        t.add(["long name", "12345"])
        t.add(["x"])
        #expect(t.render() == """
        name       value
        ─────────  ─────
        a              1
        long name  12345
        x
        """)
    }

    @Test func markdown() {
        var t = TextTable([.init("name", .left), .init("ratio")])
        t.add(["a|b", "3.2×"])
        #expect(t.render(.markdown) == "| name | ratio |\n|---|--:|\n| a\\|b | 3.2× |")
    }

    @Test func summaryHasOneRowPerKernel() {
        let f = ReportFormatter(report: Fixtures.report(Fixtures.cellforge), peer: Fixtures.report(Fixtures.torch, producer: "pytorch"),
                                style: .markdown)
        let lines = f.summaryTable().split(separator: "\n")
        #expect(lines.count == 2 + 5)                            // LSTM H8 Float, H64, H8 Double, GRU H8, RNN H1
        #expect(lines[0].contains("training vs PyTorch 2T"))
        let h8 = lines.first { $0.hasPrefix("| LSTM_H8_D8_Float |") }!
        // Per-block latency 50 ns, per-sample streaming 150 ns: 3× for single-step calls.
        #expect(h8 == "| LSTM_H8_D8_Float | 50.0 | 150 | 3.00× | 25.0 M | 10.0 M | 30.7 | 30.7% | 30.0× | — | 4.00× | 2.50× |")
    }

    /// Two widths of one size are two rows, each with its own figures: the streaming ratio
    /// never divides one kernel's time by another's.
    @Test func summaryKeepsWidthsApart() {
        func r(_ bits: Int, _ mode: Mode, ns: Double) -> BenchmarkResult {
            var x = Fixtures.result("cellforge", .lstm, 8, 8, mode, ns: ns)
            x.kernel += bits == 256 ? "" : "_V\(bits)"
            x.vectorBits = bits
            return x
        }
        let results = [r(256, .latency, ns: 50), r(256, .streaming, ns: 100), r(512, .latency, ns: 40), r(512, .streaming, ns: 160)]
        let lines = ReportFormatter(report: Fixtures.report(results), style: .markdown).summaryTable().split(separator: "\n")
        #expect(lines.count == 2 + 2)
        #expect(lines[2].hasPrefix("| LSTM_H8_D8_Float | 50.0 | 100 | 2.00× |"))
        #expect(lines[3].hasPrefix("| LSTM_H8_D8_Float_V512 | 40.0 | 160 | 4.00× |"))
    }

    @Test func formatterShowsEverySection() {
        let text = ReportFormatter(report: Fixtures.report(Fixtures.cellforge), peer: Fixtures.report(Fixtures.torch, producer: "pytorch")).render()
        for piece in ["AMD EPYC", "CELLFORGE_FMA defined", "streaming ns/step (1 per call)", "% 256-bit peak", "target CPU native", "SIMD8<Float>", "LSTM_H8_D8_Float",
                      "25.0×", "PyTorch 1T steps/s", "CellForge ÷ 2T", "4.00×", "onednn", "LSTM onednn", "missed", "met"] {
            #expect(text.contains(piece), "missing \(piece)")
        }
        let lines = text.split(separator: "\n")
        let lstm8 = lines.firstIndex { $0.hasPrefix("LSTM_H8_D8_Float ") }!, double = lines.firstIndex { $0.hasPrefix("LSTM_H8_D8_Double") }!
        #expect(lstm8 < double)                                 // Float before Double
    }
}

@Suite struct SVGTests {
    @Test func logAxes() {
        let x = LogAxis(base: 2, min: 1, max: 64)
        #expect(x.low == 0 && x.high == 6)
        #expect(x.ticks().map(\.label) == ["1", "2", "4", "8", "16", "32", "64"])
        #expect(abs(x.fraction(8) - 0.5) < 1e-12)
        let y = LogAxis(base: 10, min: 3e5, max: 2.5e7)
        #expect(y.low == 5 && y.high == 8)
        #expect(y.ticks().filter(\.major).map(\.label) == ["100k", "1M", "10M", "100M"])
        let single = LogAxis(base: 2, min: 8, max: 8)
        #expect(single.high > single.low)
        #expect(LogAxis.label(0.5) == "0.5" && LogAxis.label(2000) == "2k" && LogAxis.label(1e9) == "1G")
    }

    @Test func plotIsWellFormedAndLabelled() throws {
        let svg = ThroughputPlot.make(report: Fixtures.report(Fixtures.cellforge), peer: Fixtures.report(Fixtures.torch, producer: "pytorch")).render()
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [String] = [], text = ""
            func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                elements.append(e)
            }
            func parser(_ p: XMLParser, foundCharacters s: String) { text += s }
            func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) { text += "\n" }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "SVG is not well-formed XML: \(String(describing: parser.parserError))")
        #expect(collector.elements.first == "svg")
        #expect(collector.elements.contains("polyline"))
        for label in ["hidden size H (log scale)", "GFLOP/s (log scale)", "sequence-steps / s (log scale)", "LSTM", "GRU", "RNN",
                      "training (fwd + bwd + SGD)", "CellForge (1 core)", "reference cell", "PyTorch (1 thread)",
                      "FMA peak, SIMD8<Float>: 100 GFLOP/s"] {
            #expect(collector.text.contains(label), "missing \(label)")
        }
        #expect(!collector.text.contains("double"))            // Float kernels only
    }

    @Test func wrapsFootnotes() {
        #expect(SVGPlot.wrap("aa bb cc dd", columns: 5) == ["aa bb", "cc dd"])
        #expect(SVGPlot.wrap("aaaaaaa b", columns: 5) == ["aaaaaaa", "b"])
        #expect(SVGPlot.wrap("", columns: 5).isEmpty)
    }

    @Test func escapesText() {
        let plot = SVGPlot(title: "a < b & \"c\"", panels: [], legend: [])
        #expect(plot.render().contains("a &lt; b &amp; &quot;c&quot;"))
    }
}
