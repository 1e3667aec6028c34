import Foundation

/// A line chart as SVG, for learning curves: accuracy or loss per epoch. SVG is text, so the
/// chart is small, sharp at any size, and shows in a notebook like a picture.
public struct LineChart {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [(name: String, points: [(x: Double, y: Double)])] = []
    /// The y range shown; nil fits the data.
    public var yRange: ClosedRange<Double>?
    /// The series' names in the top right corner instead of the bottom right (for falling curves).
    public var legendAtTop = false

    public init(title: String, xLabel: String, yLabel: String, yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.yRange = yRange
    }

    public mutating func add(_ name: String, _ points: [(x: Double, y: Double)]) { series.append((name, points)) }

    public func svg(width: Double = 480, height: Double = 300) -> String {
        let all = series.flatMap(\.points)
        let (left, right, top, bottom) = (60.0, 20.0, 36.0, 44.0)
        let xs = all.map(\.x), ys = all.map(\.y)
        let xMin = xs.min() ?? 0, xMax = max((xs.max() ?? 1), xMin + 1e-9)
        let yMin = yRange?.lowerBound ?? (ys.min() ?? 0), yMax = max(yRange?.upperBound ?? (ys.max() ?? 1), yMin + 1e-9)
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * (width - left - right) }
        func py(_ y: Double) -> Double { height - bottom - (y - yMin) / (yMax - yMin) * (height - top - bottom) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(f(width / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">\(escape(title))</text>\n"
        // Axes: five ticks on y; on x, every whole number when the x values are a few whole
        // numbers (epochs), else five ticks.
        let wholeX = xs.allSatisfy { $0 == $0.rounded() } && xMax - xMin <= 12
        let xTicks = wholeX ? Array(stride(from: xMin, through: xMax, by: 1)) : (0...4).map { xMin + (xMax - xMin) * Double($0) / 4 }
        for x in xTicks {
            svg += "<text x=\"\(f(px(x)))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\">\(label(x))</text>\n"
        }
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(yMin)))\" x2=\"\(f(width - right))\" y2=\"\(f(py(yMin)))\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(yMin)))\" x2=\"\(f(left))\" y2=\"\(f(py(yMax)))\" stroke=\"black\"/>\n"
        for i in 0...4 {
            let y = yMin + (yMax - yMin) * Double(i) / 4
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">\(label(y))</text>\n"
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(y)))\" x2=\"\(f(width - right))\" y2=\"\(f(py(y)))\" stroke=\"#ddd\"/>\n"
        }
        svg += "<text x=\"\(f(width / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        svg += "<text x=\"14\" y=\"\(f(height / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f(height / 2)))\">\(escape(yLabel))</text>\n"
        let colours = ["#2b6cb0", "#dd6b20", "#2f855a", "#c53030"]
        for (n, s) in series.enumerated() {
            let colour = colours[n % colours.count]
            let points = s.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"/>\n"
            for p in s.points { svg += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3\" fill=\"\(colour)\"/>\n" }
            let legendY = legendAtTop ? py(yMax) + 16 + 16 * Double(n) : py(yMin) - 10 - 16 * Double(series.count - 1 - n)
            svg += "<text x=\"\(f(width - right - 4))\" y=\"\(f(legendY))\" text-anchor=\"end\" fill=\"\(colour)\">\(escape(s.name))</text>\n"
        }
        return svg + "</svg>\n"
    }

    func label(_ v: Double) -> String {
        abs(v - v.rounded()) < 1e-9 ? String(Int(v.rounded())) : String(format: abs(v) < 10 ? "%.2f" : "%.1f", v)
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
