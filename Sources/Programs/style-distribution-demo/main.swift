// Chapter 8b: style as a distribution. The same texture grown from white noise, and the same
// photo repainted, with each of the three style terms: chapter 8's Gram matrices, the sliced
// Wasserstein term and the histogram term with the Gram matrices; then each channel's
// distribution at one layer, the painting's against each result's.
// Run with `swift run -c release style-distribution-demo`.
import Foundation
import Tensors
import Pictures
import VGG
import FastNetwork
import FastLosses
import StyleTransferRun
import StyleDistribution
import StyleTransfer
import DemoSupport
import NetworkPrograms
import Fetching
import CommandLineArguments

let imageOption = Option<String?>.text("--image", help: "the photo (default: the astronaut sample)")
let styleOption = Option<String?>.text("--style", help: "the style image (default: samples/mosaic.png, the project's own mosaic)")
let sizeOption = Option<Int>.integer("--size", in: 32...1024, default: 192, help: "the longer side in pixels")
let iterationsOption = Option<Int>.integer("--iterations", in: 1...10000, default: 100, help: "L-BFGS iterations per picture")
let layerOption = Option<String>.text("--layer", default: "relu2_1", help: "the layer whose channels' distributions are compared")
var command = DemoOutput.command(
    name: "style-distribution-demo",
    summary: "Chapter 8b, style as a distribution: grows a texture from white noise and repaints a photo with each style term (Gram matrices, sliced Wasserstein, histogram with Gram matrices), draws them beside the painting, and compares each result's feature distributions at one layer with the painting's.")
command.options += [imageOption.spec, styleOption.spec, sizeOption.spec, iterationsOption.spec, layerOption.spec,
                    NetworkProgram.weights.spec, NetworkProgram.pooling.spec]
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: "style-distribution-demo")
let size = command.check { try sizeOption.read(arguments) }
let iterations = command.check { try iterationsOption.read(arguments) }
let pooling = command.check { try NetworkProgram.pooling.read(arguments) }
let layer = command.check { try layerOption.read(arguments) }
guard DefaultLayers.style.contains(layer) else { command.fail("--layer \(layer): one of the style layers, \(DefaultLayers.style.joined(separator: ", "))") }
let output = DemoOutput(arguments, name: "style-distribution-demo")

let photo: FloatImage, style: FloatImage
do {
    photo = try NetworkProgram.readPicture(try imageOption.read(arguments) ?? SamplePhotos.path("astronaut.png")).resized(longestSide: size)
    style = try styleOption.read(arguments).map(NetworkProgram.readPicture) ?? NetworkProgram.defaultStyle()
} catch { command.fail("\(error)") }
let network = FastVGG(NetworkProgram.loadNetwork(arguments, pooling: pooling, of: command))

let kinds = StyleLossKind.allCases
let names = ["GRAM MATRICES", "SLICED WASSERSTEIN", "HISTOGRAM + GRAM"]

/// One run with the term `kind`: a texture from noise (no photo) or the photo repainted from itself.
func paint(_ kind: StyleLossKind, photo: FloatImage?) -> (picture: FloatImage, seconds: Double) {
    var settings = StylizationSettings()
    settings.size = size
    settings.scales = 1
    settings.iterations = iterations
    settings.initialisation = photo == nil ? .noise : .content
    settings.styleTerm = kind.maker(seed: settings.seed)
    let start = Date()
    let stylization = Stylization(network: network, content: photo, styles: [style], settings: settings)
    let result = stylization.run()
    if result.end == .diverged { output.fail("the loss became NaN or infinite with the \(kind.rawValue) term; try fewer iterations") }
    return (stylization.picture(of: result.image), Date().timeIntervalSince(start))
}

/// Each channel's values at `layer` for a picture (RGB 0...255), channel by channel.
func channels(_ picture: FloatImage) -> [[Float]] {
    let maps = network.forward(network.tensor(picture), through: layer)[layer]!
    let m = maps.height * maps.width
    return (0..<maps.channels).map { c in (0..<m).map { maps.data[$0 * maps.channels + c] } }
}

/// How far one picture's channels are from the painting's, as chapter 8b measures it: for each
/// channel, the mean absolute difference of 256 paired quantiles (the Wasserstein-1 distance)
/// over the painting channel's standard deviation plus one; the mean over the channels.
func distance(_ picture: [[Float]], from painting: [[Float]]) -> Double {
    zip(picture, painting).map { mine, theirs in
        let (q, p) = (WeightedValues(mine).quantiles(count: 256), WeightedValues(theirs).quantiles(count: 256))
        let mean = theirs.reduce(0.0) { $0 + Double($1) } / Double(theirs.count)
        let spread = (theirs.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(theirs.count)).squareRoot()
        return zip(q, p).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / 256 / (spread + 1)
    }.reduce(0, +) / Double(picture.count)
}

let paintingAtSize = style.resized(longestSide: size)
let paintingChannels = channels(paintingAtSize)

/// One picture with each term (from noise, or from `photo`), each one's distance printed, and the
/// sheet of them after `first` written as `file`.
func paintWithEachTerm(photo: FloatImage?, first: (FloatImage, String), title: String, file: String) -> [FloatImage] {
    let pictures = zip(kinds, names).map { kind, name in
        let (picture, seconds) = paint(kind, photo: photo)
        print("  " + name.lowercased().padding(toLength: 20, withPad: " ", startingAt: 0)
              + String(format: " distance %.3f   (%.0f s)", distance(channels(picture), from: paintingChannels), seconds))
        return picture
    }
    output.save(ContactSheet.make([first.0] + pictures, labels: [first.1] + names, title: title, columns: 4), file)
    return pictures
}

print("A texture from white noise with each style term (\(iterations) L-BFGS iterations at \(size) pixels), and its distance from the painting's distributions at \(layer):")
let textures = paintWithEachTerm(photo: nil, first: (paintingAtSize, "THE PAINTING"),
                                 title: "THE SAME TEXTURE FROM WHITE NOISE, THREE STYLE TERMS", file: "textures.png")
print("The photo repainted with each (\(iterations) iterations from the photo):")
_ = paintWithEachTerm(photo: photo, first: (photo, "THE PHOTO"), title: "THE PHOTO REPAINTED, THREE STYLE TERMS", file: "repainted.png")

// The distributions themselves: the three channels of the layer that vary most in the painting.
// After a ReLU most values are exactly zero, so each chart gives the share of zeros in its legend
// and draws the distribution of the other values, in 30 bins up to the painting's 99th percentile.
let spreads = paintingChannels.map { values -> Float in
    let mean = values.reduce(0, +) / Float(values.count)
    return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
}
let shown = Array(spreads.indices.sorted { spreads[$0] > spreads[$1] }.prefix(3))
let textureChannels = textures.map(channels)
for (n, c) in shown.enumerated() {
    let active = paintingChannels[c].filter { $0 > 0 }.sorted()
    let top = active.isEmpty ? 1 : active[min(active.count - 1, active.count * 99 / 100)]
    func histogram(_ values: [Float]) -> [(x: Double, y: Double)] {
        let positive = values.filter { $0 > 0 }
        var counts = [Double](repeating: 0, count: 30)
        for v in positive where v <= top { counts[min(29, Int(v / top * 30))] += 1 }
        return counts.enumerated().map { (Double(top) * (Double($0.offset) + 0.5) / 30, 100 * $0.element / Double(max(positive.count, 1))) }
    }
    func zeros(_ values: [Float]) -> String { String(format: "%.0f%% zeros", 100 * Double(values.filter { $0 <= 0 }.count) / Double(values.count)) }
    var chart = LineChart(title: "\(layer), channel \(c): its non-zero values, the painting's and each texture's", xLabel: "activation",
                          yLabel: "share of the non-zero values (%)")
    chart.add("the painting (\(zeros(paintingChannels[c])))", histogram(paintingChannels[c]))
    for (picture, name) in zip(textureChannels, names) { chart.add("\(name.lowercased()) (\(zeros(picture[c])))", histogram(picture[c])) }
    output.saveChart(chart, "histograms-\(n + 1).svg")
}

print("""

What to look at: textures.png, the texture each term grows from the same noise, beside the
painting; repainted.png, the photo in the painting's style by each term. The distances above say
how far each result's channels at \(layer) are from the painting's (0: the painting's own
distributions). The Gram matrices match each layer's second moments only; the histogram term
matches every channel's distribution itself, on top of the Gram matrices; the sliced term matches
the distributions along random directions, which a measure channel by channel sees only in part.
histograms-1.svg to -3.svg: the three channels of \(layer) that vary most in the painting, the
share of zeros in the legend (after a ReLU most values are zero) and the other values' distribution.
""")
