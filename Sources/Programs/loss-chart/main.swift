// loss-chart: several runs' losses on one chart, from the CSV files `style-transfer --log`
// writes: which schedule or optimiser reaches a loss sooner. Each argument is FILE=LABEL.
import Foundation
import StyleTransfer
import Pictures
import ImageFiles
import CommandLineArguments

let outputOption = Option<String?>.text("--output", value: "FILE.svg", help: "where to write the chart (required)")
let axisOption = Option<LossLog.Axis>.choice("--x", LossLog.Axis.allCases, default: .seconds, help: "what the losses are drawn against",
                                             defaultText: "seconds")
let titleOption = Option<String>.text("--title", value: "TEXT", default: "TOTAL LOSS", help: "the chart's title")
let command = CommandSpec(
    name: "loss-chart",
    summary: "Draws the total loss of several runs (the CSV files style-transfer --log writes) on one chart, on a logarithmic scale, against seconds or iterations, and writes it as SVG. Each argument is FILE=LABEL (or FILE, labelled by its name).",
    options: [outputOption.spec, axisOption.spec, titleOption.spec],
    positionals: [("FILE=LABEL...", "the logs and their labels")])
let arguments = command.parseCommandLine()
guard let output = command.check({ try outputOption.read(arguments) }) else { command.fail(.missingArgument("--output")) }
guard URL(fileURLWithPath: output).pathExtension.lowercased() == "svg" else {
    command.fail(.badValue(option: "--output", value: output, expected: "a file name ending in .svg"))
}
guard !arguments.positionals.isEmpty else { command.fail(.missingArgument("FILE=LABEL")) }
let axis = command.check { try axisOption.read(arguments) }
var runs: [(name: String, log: LossLog)] = []
for argument in arguments.positionals {
    let (path, label) = fileAndLabel(argument)
    do {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        runs.append((label, try LossLog(csv: text)))
    } catch let error as LossLogError { command.fail("\(path): \(error)") } catch { command.fail("\(path): cannot be read as text (\(error.localizedDescription))") }
}
let chart = LossLog.comparison(runs, against: axis, title: command.check { try titleOption.read(arguments) })
do {
    try ImageFile.writeAtomically(Array(chart.svg(width: 640, height: 360).utf8), to: output)
    print("wrote \(output)")
} catch { command.fail("\(error)") }
