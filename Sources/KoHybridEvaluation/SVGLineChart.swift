import Foundation

/// A small line chart written as SVG by hand (no dependencies): categorical x axis, y from 0 to 1
/// (or a given range), one polyline per series, a legend. Enough for recall@k curves and sweeps.
///
/// ```swift
/// let chart = SVGLineChart(title: "recall@k", xLabels: ["1", "5", "10"],
///                          series: [.init(name: "dense", values: [0.9, 0.98, 0.99])])
/// try chart.svg().write(toFile: "recall.svg", atomically: true, encoding: .utf8)
/// ```
public struct SVGLineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) { self.name = name; self.values = values }
    }

    public var title: String
    public var xTitle: String
    public var yTitle: String
    public var xLabels: [String]
    public var series: [Series]
    /// The y range; `nil` fits the data (padded, clamped to [0, 1]).
    public var yRange: ClosedRange<Double>?

    public init(title: String, xTitle: String = "", yTitle: String = "", xLabels: [String], series: [Series], yRange: ClosedRange<Double>? = nil) {
        self.title = title; self.xTitle = xTitle; self.yTitle = yTitle
        self.xLabels = xLabels; self.series = series; self.yRange = yRange
    }

    /// Colour-blind-safe palette (Okabe & Ito 2008).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

    public func svg(width: Double = 640, height: Double = 360) -> String {
        let left = 56.0, right = 170.0, top = 36.0, bottom = 48.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let range = yRange ?? fittedRange()
        func x(_ i: Int) -> Double {
            xLabels.count <= 1 ? left + plotWidth / 2 : left + plotWidth * Double(i) / Double(xLabels.count - 1)
        }
        func y(_ v: Double) -> Double {
            let span = range.upperBound - range.lowerBound
            let t = span > 0 ? (v - range.lowerBound) / span : 0.5
            return top + plotHeight * (1 - min(max(t, 0), 1))
        }
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(left))" y="20" font-size="14" font-weight="bold">\(escape(title))</text>

        """
        for tick in 0...4 {
            let v = range.lowerBound + (range.upperBound - range.lowerBound) * Double(tick) / 4
            out += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(String(format: "%.3f", v))</text>\n"
        }
        for (i, label) in xLabels.enumerated() {
            out += "<text x=\"\(f(x(i)))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(escape(label))</text>\n"
        }
        out += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(escape(xTitle))</text>\n"
        out += "<text transform=\"translate(14 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yTitle))</text>\n"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#888\"/>\n"
        for (s, line) in series.enumerated() {
            let colour = SVGLineChart.palette[s % SVGLineChart.palette.count]
            let points = line.values.prefix(xLabels.count).enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }
            out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>\n"
            for point in points {
                let xy = point.split(separator: ",")
                out += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"\(colour)\"/>\n"
            }
            let legendY = top + 8 + Double(s) * 16
            out += "<line x1=\"\(f(width - right + 12))\" x2=\"\(f(width - right + 32))\" y1=\"\(f(legendY))\" y2=\"\(f(legendY))\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            out += "<text x=\"\(f(width - right + 38))\" y=\"\(f(legendY + 4))\">\(escape(line.name))</text>\n"
        }
        return out + "</svg>\n"
    }

    private func fittedRange() -> ClosedRange<Double> {
        let values = series.flatMap(\.values)
        guard let low = values.min(), let high = values.max() else { return 0...1 }
        let pad = max((high - low) * 0.1, 0.005)
        return max(low - pad, 0)...min(high + pad, 1)
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
