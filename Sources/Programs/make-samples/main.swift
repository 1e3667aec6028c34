// make-samples: draws the project's own style image, samples/mosaic.png, from a fixed seed.
// The committed file is this program's output; running it again gives the same bytes.
import Foundation
import Pictures
import ImageFiles
import CommandLineArguments

let outputOption = Option<String>.text("--output", default: "samples/mosaic.png", help: "where to write the PNG")
let command = CommandSpec(
    name: "make-samples",
    summary: "Draws the project's own default style image (a generated mosaic, 512x512, seed 7) and writes it as PNG. The copy in samples/ was made by this program.",
    options: [outputOption.spec])
let arguments = command.parseCommandLine()
let path = command.check { try outputOption.read(arguments) }
do {
    try ImageFile.write(MosaicPainting.generate(width: 512, height: 512).raster(), to: path)
    print("wrote \(path)")
} catch {
    command.fail("\(error)")
}
