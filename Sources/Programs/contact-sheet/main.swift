// contact-sheet: lays pictures out in a labelled grid, the way the notebooks show a run's
// frames or a sweep over a setting. Each panel is resized so its longer side is the same.
import Foundation
import Pictures
import ImageFiles
import CommandLineArguments

let outputOption = Option<String?>.text("--output", help: "where to write the sheet (required), .png")
let columnsOption = Option<Int?>.integer("--columns", in: 1...64, help: "panels per row", defaultText: "all in one row")
let heightOption = Option<Int>.integer("--height", in: 16...2048, default: 256, help: "each panel's longer side in pixels")
let titleOption = Option<String?>.text("--title", value: "TEXT", help: "a title above the grid")
let command = CommandSpec(
    name: "contact-sheet",
    summary: "Lays out pictures (\(ReadableFormats.names)) in a grid, each with its label under it, and writes the sheet as PNG. Each argument is FILE=LABEL (or FILE, labelled by its name).",
    options: [outputOption.spec, columnsOption.spec, heightOption.spec, titleOption.spec],
    positionals: [("FILE=LABEL...", "the pictures and their labels")])
let arguments = command.parseCommandLine()
guard let output = command.check({ try outputOption.read(arguments) }) else { command.fail(.missingArgument("--output")) }
guard !arguments.positionals.isEmpty else { command.fail(.missingArgument("FILE=LABEL")) }
let columns = command.check { try columnsOption.read(arguments) } ?? min(64, arguments.positionals.count)
let height = command.check { try heightOption.read(arguments) }
var panels: [FloatImage] = [], labels: [String] = []
for argument in arguments.positionals {
    let (path, label) = fileAndLabel(argument)
    do {
        let picture = FloatImage(try ImageFile.read(path)).rgb()
        panels.append(picture.resized(longestSide: height))
        labels.append(label.uppercased())
    } catch { command.fail(ImageFile.message(for: error, reading: path)) }
}
do {
    try ImageFile.write(ContactSheet.make(panels, labels: labels, title: command.check { try titleOption.read(arguments) }?.uppercased(), columns: columns).raster(), to: output)
    print("wrote \(output)")
} catch { command.fail("\(error)") }
