// loss-chart: several runs' losses on one chart, from the CSV files `style-transfer --log`
// writes: which schedule or optimiser reaches a loss sooner. Each argument is FILE=LABEL.
import Foundation
import StyleTransfer
import Pictures
import ImageFiles
import CommandLineArguments

let command = CommandSpec(
    name: "loss-chart",
    summary: "Draws the total loss of several runs (the CSV files style-transfer --log writes) on one chart, on a logarithmic scale, against seconds or iterations, and writes it as SVG. Each argument is FILE=LABEL (or FILE, labelled by its name).",
    options: [
        OptionSpec("--output", value: "FILE.svg", help: "where to write the chart (required)"),
        OptionSpec("--x", value: "seconds|iteration", help: "what the losses are drawn against (default seconds)"),
        OptionSpec("--title", value: "TEXT", help: "the chart's title (default TOTAL LOSS)"),
    ],
    positionals: [("FILE=LABEL...", "the logs and their labels")])
let arguments = command.parseCommandLine()
guard let output = arguments.value("--output") else { command.fail(.missingArgument("--output")) }
guard URL(fileURLWithPath: output).pathExtension.lowercased() == "svg" else {
    command.fail(.badValue(option: "--output", value: output, expected: "a file name ending in .svg"))
}
guard !arguments.positionals.isEmpty else { command.fail(.missingArgument("FILE=LABEL")) }
let axisText = arguments.value("--x") ?? "seconds"
guard let axis = LossLog.Axis(rawValue: axisText) else { command.fail(.badValue(option: "--x", value: axisText, expected: "seconds or iteration")) }
var runs: [(name: String, log: LossLog)] = []
for argument in arguments.positionals {
    let (path, label) = fileAndLabel(argument)
    do {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        runs.append((label, try LossLog(csv: text)))
    } catch let error as LossLogError { command.fail("\(path): \(error)") } catch { command.fail("\(path): cannot be read as text (\(error.localizedDescription))") }
}
let chart = LossLog.comparison(runs, against: axis, title: arguments.value("--title") ?? "TOTAL LOSS")
do {
    try ImageFile.writeAtomically(Array(chart.svg(width: 640, height: 360).utf8), to: output)
    print("wrote \(output)")
} catch { command.fail("\(error)") }
