// image-convert IN OUT: converts between the image formats the project reads and writes,
// chosen by OUT's extension (.png, .ppm, .pgm, .pam). PAM output keeps what the source holds.
// On bad input it prints one line naming the problem and exits with status 1.
import Foundation
import ImageFiles

let arguments = CommandLine.arguments.dropFirst()
if arguments.count != 2 || arguments.contains("--help") || arguments.contains("-h") {
    let usage = """
    usage: image-convert IN OUT
      Converts IN (PNG, PGM, PPM or PAM, recognised by content) to OUT, whose extension
      (.png, .ppm, .pgm, .pam) chooses the format. PAM keeps gray/RGB and alpha as stored.
    """
    FileHandle.standardError.write((usage + "\n").data(using: .utf8)!)
    exit(arguments.contains("--help") || arguments.contains("-h") ? 0 : 2)
}
let input = arguments[arguments.startIndex], output = arguments[arguments.startIndex + 1]
func fail(_ message: String) -> Never {
    FileHandle.standardError.write("image-convert: \(message)\n".data(using: .utf8)!)
    exit(1)
}
guard ImageFormat(path: output) != nil else { fail("\(ImageFileError.unsupportedOutputExtension(output))") }
let image: RasterImage
do {
    image = try ImageFile.read(input)
} catch let error as ImageFileError {
    fail("\(error)")
} catch {
    fail("\(input): \(error)")
}
do {
    try ImageFile.write(image, to: output)
} catch {
    fail("\(error)")
}
