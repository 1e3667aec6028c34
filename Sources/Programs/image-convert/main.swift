// image-convert IN OUT: converts between the image formats the project reads and writes,
// chosen by OUT's extension (.png, .ppm, .pgm, .pam). PAM output keeps what the source holds.
// On bad input it prints one line naming the problem and exits with status 1; on a bad argument
// list, with status 2 (see --help).
import Foundation
import ImageFiles
import CommandLineArguments

let command = CommandSpec(
    name: "image-convert",
    summary: "Converts IN (\(ReadableFormats.names), recognised by its content; a JPEG is turned upright as its Exif orientation says) to OUT, in the format OUT's extension names (.png, .ppm, .pgm, .pam). PAM keeps gray or RGB, alpha and 16 bits as stored. The output is written to a temporary file and renamed into place.",
    positionals: [("IN", "the image to read"), ("OUT", "the image to write; its extension chooses the format")])
let arguments = command.parseCommandLine()
let input = arguments.positionals[0], output = arguments.positionals[1]
func fail(_ message: String) -> Never { command.fail(message) }
guard ImageFormat(path: output) != nil else { fail("\(ImageFileError.unsupportedOutputExtension(output))") }
let image: RasterImage
do {
    image = try ImageFile.read(input)
} catch {
    fail(ImageFile.message(for: error, reading: input))
}
do {
    try ImageFile.write(image, to: output)
} catch {
    fail("\(error)")
}
