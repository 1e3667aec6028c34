import Optimisers
import Foundation
import Pictures

/// One evaluation of the loss during a run: iteration k is the image after k steps (0: the
/// initial image), with the loss's parts and the seconds since the run began.
public struct LossRow: Sendable, Equatable {
    /// 0 for the initial image, then one per step.
    public var iteration: Int
    /// The terms (`additional`: any a loss adds beyond the first three, together).
    public var content: Double, style: Double, totalVariation: Double, additional: Double = 0
    /// Seconds since the run began.
    public var seconds: Double
    /// The loss: the sum of the terms.
    public var total: Double { content + style + totalVariation + additional }

    /// The row of iteration `iteration`, with the loss's parts and the time.
    public init(iteration: Int, parts: LossParts, seconds: Double) {
        self.iteration = iteration
        content = parts.content
        style = parts.style
        totalVariation = parts.totalVariation
        additional = parts.additional
        self.seconds = seconds
    }
}

/// A run's losses, one row per iteration, as CSV (`--log`) and as a chart (`--plot`).
public struct LossLog: Sendable {
    /// The CSV header, fixed so other tools can read the log.
    public static let header = "iteration,total,content,style,tv,seconds"
    /// The rows, in the order they were added.
    public private(set) var rows: [LossRow] = []

    /// An empty log.
    public init() {}

    /// Adds a row at the end.
    public mutating func append(_ row: LossRow) { rows.append(row) }

    /// A log read back from its CSV (`csv` below): the header, then one row per line.
    public init(csv text: String) throws {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard lines.first == Self.header else { throw LossLogError.notALog(firstLine: String(lines.first?.prefix(80) ?? "")) }
        for (number, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, let iteration = Int(fields[0]),
                  let content = Double(fields[2]), let style = Double(fields[3]), let tv = Double(fields[4]), let seconds = Double(fields[5])
            else { throw LossLogError.badRow(line: number + 2) }
            rows.append(LossRow(iteration: iteration, parts: LossParts(content: content, style: style, totalVariation: tv), seconds: seconds))
        }
    }

    /// What a comparison of several runs is drawn against.
    public enum Axis: String, Sendable, CaseIterable { case seconds, iteration }

    /// Several runs' total losses on one chart (log10 of the loss), against the seconds since
    /// each run began or against the iteration.
    public static func comparison(_ runs: [(name: String, log: LossLog)], against axis: Axis, title: String) -> LineChart {
        var chart = LineChart(title: title, xLabel: axis == .seconds ? "seconds" : "iteration", yLabel: "log10 of the total loss")
        chart.legendAtTop = true
        for run in runs {
            chart.add(run.name, run.log.rows.compactMap { row in
                row.total > 0 && row.total.isFinite ? (axis == .seconds ? row.seconds : Double(row.iteration), log10(row.total)) : nil
            })
        }
        return chart
    }

    /// The header and one line per row. Losses are written in full (the shortest decimal that
    /// reads back as the same Double), seconds to the millisecond.
    public var csv: String {
        var text = Self.header + "\n"
        for row in rows {
            text += "\(row.iteration),\(row.total),\(row.content),\(row.style),\(row.totalVariation),"
                + String(format: "%.3f", row.seconds) + "\n"
        }
        return text
    }

    /// The loss curves, on a logarithmic scale (the parts differ by orders of magnitude and
    /// fall by several): total, content, style and total variation against the iteration, the
    /// style curve named `styleName`.
    public func chart(title: String, styleName: String = "style") -> LineChart {
        var chart = LineChart(title: title, xLabel: "iteration", yLabel: "log10 of the loss")
        func curve(_ value: (LossRow) -> Double) -> [(x: Double, y: Double)] {
            rows.compactMap { row in value(row) > 0 && value(row).isFinite ? (Double(row.iteration), log10(value(row))) : nil }
        }
        for (name, value) in [("total", { (r: LossRow) in r.total }), ("content", { $0.content }), (styleName, { $0.style }),
                              ("total variation", { $0.totalVariation })] {
            let points = curve(value)
            if !points.isEmpty { chart.add(name, points) }
        }
        return chart
    }
}

/// Why a file could not be read as a loss log.
public enum LossLogError: Error, CustomStringConvertible {
    case notALog(firstLine: String)
    case badRow(line: Int)

    /// The reason, in one line.
    public var description: String {
        switch self {
        case .notALog(let first): return "not a loss log (its first line should be \(LossLog.header), not \"\(first)\")"
        case .badRow(let line): return "line \(line) of the loss log is not six numbers separated by commas"
        }
    }
}
