// contact-sheet: lays pictures out in a labelled grid, the way the notebooks show a run's
// frames or a sweep over a setting. Each panel is resized so its longer side is the same.
import Foundation
import Pictures
import ImageFiles
import CommandLineArguments

let command = CommandSpec(
    name: "contact-sheet",
    summary: "Lays out pictures (PNG, JPEG, PPM, PGM, PAM) in a grid, each with its label under it, and writes the sheet as PNG. Each argument is FILE=LABEL (or FILE, labelled by its name).",
    options: [
        OptionSpec("--output", value: "FILE", help: "where to write the sheet (required), .png"),
        OptionSpec("--columns", value: "N", help: "panels per row, 1 to 64 (default: all in one row)"),
        OptionSpec("--height", value: "N", help: "each panel's longer side in pixels, 16 to 2048 (default 256)"),
        OptionSpec("--title", value: "TEXT", help: "a title above the grid"),
    ],
    positionals: [("FILE=LABEL...", "the pictures and their labels")])
let arguments = command.parseCommandLine()
guard let output = arguments.value("--output") else { command.fail(.missingArgument("--output")) }
guard !arguments.positionals.isEmpty else { command.fail(.missingArgument("FILE=LABEL")) }
let columns: Int, height: Int
do {
    columns = try arguments.integer("--columns", in: 1...64, default: min(64, arguments.positionals.count))
    height = try arguments.integer("--height", in: 16...2048, default: 256)
} catch let error as ArgumentError { command.fail(error) } catch { command.fail("\(error)") }
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
    try ImageFile.write(ContactSheet.make(panels, labels: labels, title: arguments.value("--title")?.uppercased(), columns: columns).raster(), to: output)
    print("wrote \(output)")
} catch { command.fail("\(error)") }
