// Chapter 6: the VGG network, with its real ImageNet weights.
// Run with `swift run -c release vgg-demo`.
import Foundation
import VGG
import Kernels
import FastNetwork
import Tensors
import ImageFiles
import Pictures
import DemoSupport
import NetworkPrograms
import Fetching
import CommandLineArguments

let imageOption = Option<String?>.text("--image", help: "the photo (\(ReadableFormats.names)) at its own size (default: the astronaut sample, 512x512)")
let statsOption = Option<Bool>.flag("--stats", help: "print one line per ReLU layer, 'relu1_1 mean M std S', and write nothing")
let comparePathsOption = Option<Bool>.flag("--compare-paths", help: "run the plain path too and print, per layer, the fast path's largest difference from it relative to the layer's largest value; write nothing")
var command = DemoOutput.command(
    name: "vgg-demo",
    summary: "Chapter 6, the VGG Network: runs a photo through VGG19 (or VGG16) with its ImageNet weights, prints each layer's shape, parameters and time, and draws feature maps of every block. With --stats, prints the mean and standard deviation of each ReLU layer instead.")
command.options += [
    imageOption.spec,
    NetworkProgram.weights.spec,
    NetworkProgram.network.spec,
    NetworkProgram.pooling.spec,
    statsOption.spec,
    comparePathsOption.spec,
]
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: "vgg-demo")
let pooling = command.check { try NetworkProgram.pooling.read(arguments) }
let architecture = command.check { try NetworkProgram.network.read(arguments) }

// The output folder first (none with --stats, which writes nothing), so a bad --output is
// reported before anything is loaded.
let output: DemoOutput? = statsOption.isGiven(arguments) || comparePathsOption.isGiven(arguments) ? nil
    : DemoOutput(arguments, name: "vgg-demo")

func loadPhoto() -> (Tensor, String) {
    do {
        let path = try imageOption.read(arguments) ?? SamplePhotos.path("astronaut.png")
        return (NetworkProgram.tensor(try NetworkProgram.readPicture(path)), path)
    } catch {
        command.fail("\(error)")
    }
}
let (photo, photoPath) = loadPhoto()   // before the weights, so a bad --image costs no fetch
let network = NetworkProgram.loadNetwork(arguments, architecture: architecture, pooling: pooling, of: command)
let input = network.preprocessing.apply(photo)
let fast = FastVGG(network)
let layers = network.layers
// The last ReLU of each block (relu1_2, relu2_2, relu3_4, relu4_4 and relu5_4 in VGG19).
let blockEnds = layers.indices.filter { layers[$0].isReLU && layers[$0 + 1].name.hasPrefix("pool") }.map { layers[$0].name }
_ = fast.forward(input, through: "pool5")   // once untimed: each convolution transforms its kernels on first use

if comparePathsOption.isGiven(arguments) {
    // The fast kernels against their plain twins, on the real weights and this picture.
    let plain = network.forward(input, through: "pool5")
    let activations = fast.forward(input, through: "pool5")
    for (index, layer) in layers.enumerated() where !layer.name.hasPrefix("conv") {
        let expected = plain[index].data, got = activations[layer.name]!.tensor.data
        let scale = expected.reduce(0) { Swift.max($0, abs($1)) }
        let worst = zip(expected, got).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
        print("\(layer.name) largest difference \(String(format: "%.3g", worst)) of \(String(format: "%.4g", scale)): relative \(String(format: "%.2e", worst / scale))")
    }
    exit(0)
}

if statsOption.isGiven(arguments) {
    let activations = fast.forward(input, through: blockEnds.last!)
    for layer in layers where layer.isReLU {
        let maps = activations[layer.name]!.data
        var sum = 0.0, sumOfSquares = 0.0
        for x in maps { sum += Double(x); sumOfSquares += Double(x) * Double(x) }
        let mean = sum / Double(maps.count)
        let std = Swift.max(0.0, sumOfSquares / Double(maps.count) - mean * mean).squareRoot()
        print("\(layer.name) mean \(String(format: "%.6g", mean)) std \(String(format: "%.6g", std))")
    }
    exit(0)
}

print("\(photoPath) through \(architecture.name): \(photo.shape[2])x\(photo.shape[1]) pixels, \(network.preprocessing == .caffe ? "Caffe preprocessing (BGR, minus the ImageNet mean)" : "torchvision preprocessing (RGB 0...1, ImageNet mean and std)"), \(pooling == .max ? "max" : "average") pooling.\n")
print("layer      output (channels x height x width)   parameters   time")
var x = ChannelsLastMaps(input)
var keptForPictures: [String: ChannelsLastMaps] = [:]
var totalParameters = 0, totalTime = 0.0
for layer in layers {
    let start = DispatchTime.now().uptimeNanoseconds
    var parameters = 0
    switch layer {
    case .convolution(let n, _):
        x = fast.convolutions[n].forward(x)
        parameters = network.convolutions[n].weights.count + network.convolutions[n].bias.count
    case .relu: reluInPlace(&x)
    case .pool: x = pool2x2(x, average: pooling == .average)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    totalParameters += parameters
    totalTime += seconds
    if blockEnds.contains(layer.name) { keptForPictures[layer.name] = x }
    let shape = "\(x.channels) x \(x.height) x \(x.width)"
    print("\(layer.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(shape.padding(toLength: 36, withPad: " ", startingAt: 0)) "
          + "\(String(parameters).padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%.1f ms", seconds * 1000))")
}
print("total: \(totalParameters) parameters (\(String(format: "%.1f", Double(totalParameters) / 1e6)) million), \(String(format: "%.2f", totalTime)) s\n")

// One row per block: the photo, then the 8 maps of the block's last ReLU that are most active
// on average, all on one scale per row (black 0, white the row's 99.5th percentile and above:
// a few very bright pixels would otherwise leave the rest of the row black).
var panels: [FloatImage] = [], labels: [String] = []
let side = 128
let photoPanel = FloatImage(channels: 3, height: photo.shape[1], width: photo.shape[2], pixels: photo.data).resized(width: side, height: side)
for name in blockEnds {
    let maps = keptForPictures[name]!
    let plane = maps.height * maps.width
    var means = [Double](repeating: 0, count: maps.channels)
    for i in 0..<plane { for c in 0..<maps.channels { means[c] += Double(maps.data[i * maps.channels + c]) } }
    let chosen = (0..<maps.channels).sorted { means[$0] > means[$1] }.prefix(8)
    let rowValues = chosen.flatMap { c in (0..<plane).map { maps.data[$0 * maps.channels + c] } }.sorted()
    let rowMax = rowValues[min(rowValues.count - 1, rowValues.count * 995 / 1000)]
    panels.append(photoPanel)
    labels.append("PHOTO")
    for c in chosen {
        let pixels = (0..<plane).map { Swift.min(1, maps.data[$0 * maps.channels + c] / Swift.max(rowMax, 1e-6)) * 255 }
        let map = FloatImage(channels: 1, height: maps.height, width: maps.width, pixels: pixels)
        panels.append(map.enlarged(by: max(1, side / maps.width)).resized(width: side, height: side))
        labels.append("\(name.uppercased()) MAP \(c)")
    }
    print("\(name): \(maps.channels) maps of \(maps.width)x\(maps.height); the 8 most active drawn, white from \(String(format: "%.0f", rowMax))")
}
output!.save(ContactSheet.make(panels, labels: labels,
                              title: "EACH ROW: A BLOCK'S LAST RELU, ITS 8 MOST ACTIVE MAPS (BLACK 0, WHITE THE ROW'S 99.5TH PERCENTILE AND UP)",
                              columns: 9),
            "feature-maps.png")
print("""

What to notice: each pooling layer halves the maps and each block has more of them (64, 128,
256, 512, 512). In feature-maps.png the first block's maps are the photo itself, filtered:
brightness, colours and edges at every pixel; the second and third block's are outlines. The
deeper blocks' maps are coarser (32x32 at relu5_4 for a 512x512 photo) and sparse: each lights
up in a few places only (in the astronaut photo, parts such as the face, the collar ring and
the helmet), because each of their neurons answers for a larger and more particular pattern.
""")
