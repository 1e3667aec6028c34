// Chapter 10: controlling perceptual factors. Spatial control first: the photo's left half in
// one style and its right half in another, from masks the demo draws itself. Then scale control:
// one style's large structures with another's fine texture. Then colour control: the photo repainted in a style four ways (in the painting's colours, with the photo's
// colours put back afterwards, by a luminance-only transfer, with the painting's colours matched
// to the photo's first), with how far each result's colours are from the photo's.
// Run with `swift run -c release perceptual-control-demo`.
import Foundation
import StyleTransfer
import PerceptualControl
import VGG
import Tensors
import StyleRepresentation
import FastNetwork
import FastLosses
import StyleTransferRun
import ImageFiles
import Pictures
import DemoSupport
import NetworkPrograms
import Fetching
import CommandLineArguments

let imageOption = Option<String?>.text("--image", help: "the photo (default: the astronaut sample)")
let styleOption = Option<String?>.text("--style", help: "the style image (default: samples/mosaic.png, the project's own mosaic)")
let secondStyleOption = Option<String?>.text("--second-style", help: "the right half's style in the spatial control (default: the grass sample)")
let sizeOption = Option<Int>.integer("--size", in: 32...1024, default: 192, help: "the longer side in pixels")
let iterationsOption = Option<Int>.integer("--iterations", in: 1...10000, default: 100, help: "L-BFGS iterations per result, from the photo")
var command = DemoOutput.command(
    name: "perceptual-control-demo",
    summary: "Chapter 10, Controlling Perceptual Factors: paints the left half of a photo in one style and the right half in another (spatial control, from masks it draws), then with one style's large structures and the other's fine texture (scale control), then repaints the photo in a style four ways (the painting's colours; the photo's colours put back afterwards; a luminance-only transfer; the painting's colours matched to the photo's first), draws them side by side, and prints how far each result's colours are from the photo's.")
command.options += [
    imageOption.spec,
    styleOption.spec,
    secondStyleOption.spec,
    sizeOption.spec,
    iterationsOption.spec,
    NetworkProgram.weights.spec,
    NetworkProgram.pooling.spec,
]
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: "perceptual-control-demo")
let size = command.check { try sizeOption.read(arguments) }
let iterations = command.check { try iterationsOption.read(arguments) }
let pooling = command.check { try NetworkProgram.pooling.read(arguments) }

// The output folder first, so a bad --output is reported before anything is loaded.
let output = DemoOutput(arguments, name: "perceptual-control-demo")

let photo: FloatImage, style: FloatImage, secondStyle: FloatImage
do {
    photo = try NetworkProgram.readPicture(try imageOption.read(arguments) ?? SamplePhotos.path("astronaut.png")).resized(longestSide: size)
    style = try styleOption.read(arguments).map(NetworkProgram.readPicture) ?? NetworkProgram.defaultStyle()
    secondStyle = try NetworkProgram.readPicture(try secondStyleOption.read(arguments) ?? SamplePhotos.path("grass.png"))
} catch { command.fail("\(error)") }
let network = FastVGG(NetworkProgram.loadNetwork(arguments, pooling: pooling, of: command))

/// How far a picture's colours are from the photo's: the mean, over pixels, of the distance
/// between their colour differences (R - Y, B - Y), in 0...255 units.
func colourDistance(_ picture: FloatImage) -> Double {
    let plane = photo.width * photo.height
    let (y, yPhoto) = (luminancePlane(picture), luminancePlane(photo))
    return (0..<plane).reduce(0.0) { total, i in
        let red = Double((picture.pixels[i] - y[i]) - (photo.pixels[i] - yPhoto[i]))
        let blue = Double((picture.pixels[2 * plane + i] - y[i]) - (photo.pixels[2 * plane + i] - yPhoto[i]))
        return total + (red * red + blue * blue).squareRoot()
    } / Double(plane)
}

var settings = StylizationSettings()
settings.size = max(photo.width, photo.height)
settings.iterations = iterations
settings.initialisation = .content

// ---- Spatial control: the left half in the first style, the right half in the second.
func meanColour(_ picture: FloatImage, where inside: (Int) -> Bool) -> [Double] {
    let plane = picture.width * picture.height
    let positions = (0..<plane).filter(inside)
    return (0..<3).map { c in positions.reduce(0.0) { $0 + Double(picture.pixels[c * plane + $1]) } / Double(positions.count) }
}
func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() }
let halves = RegionLayout(height: photo.height, width: photo.width, regions: 2,
                          labels: (0..<(photo.width * photo.height)).map { $0 % photo.width < photo.width / 2 ? 0 : 1 })
var spatialSettings = settings
spatialSettings.styleTerm = RegionStyle(picture: halves, styles: [RegionLayout(height: 1, width: 1, regions: 2, labels: [0]),
                                                                  RegionLayout(height: 1, width: 1, regions: 2, labels: [1])])
print("Painting the photo's left half like the first style and its right half like the second, \(iterations) L-BFGS iterations from the photo:")
let spatial = Stylization(network: network, content: photo, styles: [style, secondStyle], settings: spatialSettings)
let spatialResult = spatial.run()
if spatialResult.end == .diverged { output.fail("the loss became NaN or infinite; try fewer iterations") }
let spatialPicture = spatial.picture(of: spatialResult.image)
let styleMeans = [style, secondStyle].map { meanColour($0) { _ in true } }
for (half, name) in [(0, "left"), (1, "right")] {
    let mean = meanColour(spatialPicture) { ($0 % photo.width < photo.width / 2) == (half == 0) }
    print(String(format: "  the %@ half's mean colour is %.0f from the first style's, %.0f from the second's", name,
                 distance(mean, styleMeans[0]), distance(mean, styleMeans[1])))
}
let maskPicture = FloatImage(channels: 3, height: photo.height, width: photo.width,
                             pixels: (0..<3).flatMap { c in halves.labels.map { Float([[230, 120, 40], [60, 160, 60]][$0][c]) } })
output.save(ContactSheet.make([photo, maskPicture, style.resized(longestSide: size), secondStyle.resized(longestSide: size), spatialPicture],
                              labels: ["THE PHOTO", "ITS MASK: TWO REGIONS", "LEFT: THE FIRST STYLE", "RIGHT: THE SECOND STYLE", "THE RESULT"],
                              title: "SPATIAL CONTROL: EACH REGION TAKES ITS OWN STYLE", columns: 5), "spatial-control.png")

// ---- Scale control: the large structures of the first style, the fine texture of the second.
let fineFromSecond = Dictionary(uniqueKeysWithValues: settings.styleLayers.map { ($0, $0 == "relu1_1" || $0 == "relu2_1" ? 1 : 0) })
print("Painting the photo with the first style's large structures (relu3_1 to relu5_1) and the second's fine texture (relu1_1, relu2_1):")
var scalePanels = [photo, style.resized(longestSide: size), secondStyle.resized(longestSide: size)]
for (label, sources) in [("FIRST STYLE ALONE", [String: Int]()), ("COARSE: FIRST, FINE: SECOND", fineFromSecond)] {
    var waySettings = settings
    waySettings.styleTerm = GramMatrixStyle(sources: sources)
    let stylization = Stylization(network: network, content: photo, styles: sources.isEmpty ? [style] : [style, secondStyle], settings: waySettings)
    let result = stylization.run()
    if result.end == .diverged { output.fail("the loss became NaN or infinite; try fewer iterations") }
    scalePanels.append(stylization.picture(of: result.image))
    print("  \(label.lowercased()): done")
}
output.save(ContactSheet.make(scalePanels, labels: ["THE PHOTO", "COARSE: THE FIRST STYLE", "FINE: THE SECOND STYLE", "FIRST STYLE ALONE",
                                                    "COARSE FIRST, FINE SECOND"],
                              title: "SCALE CONTROL: DEEP LAYERS MATCH THE FIRST STYLE, SHALLOW ONES THE SECOND", columns: 5), "scale-control.png")

// ---- Colour control.
let ways: [(label: String, colours: ColourPreservation?)] = [
    ("THE PAINTING'S COLOURS", nil), ("--ORIGINAL-COLORS (AFTER)", .afterwards),
    ("--PRESERVE-COLORS LUMINANCE", .luminance), ("--PRESERVE-COLORS MATCH", .match),
]
print("Repainting the \(photo.width)x\(photo.height) photo four ways, \(iterations) L-BFGS iterations each from the photo:")
var panels = [photo, style.resized(longestSide: size)], labels = ["THE PHOTO", "THE STYLE"]
for way in ways {
    var waySettings = settings
    waySettings.colours = way.colours
    let stylization = Stylization(network: network, content: photo, styles: [style], settings: waySettings)
    let result = stylization.run()
    if result.end == .diverged { output.fail("the loss became NaN or infinite; try fewer iterations") }
    let picture = stylization.picture(of: result.image)
    print(String(format: "  %-29@ colour distance from the photo: %5.1f", way.label.lowercased() + ":", colourDistance(picture)))
    panels.append(picture)
    labels.append(way.label)
}
output.save(ContactSheet.make(panels, labels: labels, title: "KEEPING THE PHOTO'S COLOURS FOUR WAYS", columns: panels.count), "colour-control.png")
print("""

What to notice: in spatial-control.png the left half of the result is drawn in the first
style's marks (with the default styles, the mosaic's tiles and dark grout) and the right half in
the second's (the grass's blades, grey as the grass photo is), the seam where the mask's halves
meet. The distances printed first are a coarse check: with the default styles the right half's
mean colour is near the grass's, while the left half's is not near the mosaic's mean, a
blend of blue and orange tiles that no tile has. In scale-control.png the mixed result keeps the
mosaic's tiles and grout, the large structures, but its colours are paler and greyer than with
the mosaic alone: the shallow layers, which carry much of the colour, now match the grey grass. In colour-control.png the first result wears the painting's palette. The
distances printed above (how far each result's colour differences R - Y and B - Y are from the
photo's, on average) fall to about 1 for --original-colors and for the luminance-only transfer:
both keep the photo's colour differences exactly and take only the brightness from the run
(what remains is where a colour left 0...255). Matching lowers the distance much less: the
painting's colours are moved to the photo's mean and covariance, so the result's colours agree
with the photo's on average, while its strokes still vary in hue as the painting's do.
""")
