// Chapter 7: content representation. Reconstructs a photo from one layer's feature maps alone,
// as in Gatys et al.'s figure 1 (content row). Run with `swift run -c release content-demo`.
import Foundation
import ContentRepresentation
import Optimisers
import VGG
import Kernels
import Tensors
import ImageFiles
import Pictures
import DemoSupport
import Fetching
import CommandLineArguments

var command = DemoOutput.command(
    name: "content-demo",
    summary: "Chapter 7, Content Representation: starting from white noise, reconstructs a photo from the feature maps of conv1_1, conv2_1, conv3_1, conv4_1 and conv5_1 of VGG19 (the layers of the paper's figure 1), each alone, by descending the content loss with L-BFGS, and draws the five side by side.")
command.options += [
    OptionSpec("--image", value: "FILE", help: "the photo (default: the astronaut sample)"),
    OptionSpec("--size", value: "N", help: "the longer side in pixels, 32 to 2048 (default 224; a photo already that size is used as is)"),
    OptionSpec("--iterations", value: "N", help: "L-BFGS iterations per layer, 1 to 10000 (default 120)"),
    OptionSpec("--layers", value: "LIST", help: "comma-separated layer names (default conv1_1,conv2_1,conv3_1,conv4_1,conv5_1, the paper's)"),
    NetworkDemo.weightsOption,
    NetworkDemo.networkOption,
    NetworkDemo.poolingOption,
    NetworkDemo.seedOption,
]
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: "content-demo")
let size: Int, iterations: Int, seed: Int
do {
    size = try arguments.integer("--size", in: 32...2048, default: 224)
    iterations = try arguments.integer("--iterations", in: 1...10000, default: 120)
    seed = try arguments.integer("--seed", in: 0...Int(Int32.max), default: 1)
} catch let error as ArgumentError { command.fail(error) } catch { command.fail("\(error)") }
let layers = (arguments.value("--layers") ?? "conv1_1,conv2_1,conv3_1,conv4_1,conv5_1").split(separator: ",").map(String.init)
let pooling = NetworkDemo.pooling(arguments, of: command)
let architecture: VGGArchitecture = NetworkDemo.choice(arguments, "--network", default: .vgg19, expected: "vgg19 or vgg16", of: command)
for layer in layers where architecture.layerIndex(layer) == nil {
    command.fail(ArgumentError.badValue(option: "--layers", value: layer, expected: "\(architecture.name) layer names such as conv4_2 or relu3_1"))
}

// The output folder first, so a bad --output is reported before anything is loaded.
let output = DemoOutput(folder: arguments.value("--output") ?? DemoOutput.defaultFolder("content-demo"), program: "content-demo")

let photo: FloatImage
do {
    let path = try arguments.value("--image") ?? SamplePhotos.path("astronaut.png")
    photo = try NetworkDemo.readPicture(path).resized(longestSide: size)
} catch { command.fail("\(error)") }
let network = NetworkDemo.loadNetwork(arguments, architecture: architecture, pooling: pooling, of: command)
let fast = FastVGG(network)
let target = network.preprocessing.apply(NetworkDemo.tensor(photo))

print("Reconstructing the \(photo.width)x\(photo.height) photo from each layer alone: white noise, then \(iterations) L-BFGS iterations on the content loss.")
var panels = [photo], labels = ["ORIGINAL"]
for layer in layers {
    let loss = ContentReconstructionLoss(network: fast, content: target, layers: [layer])
    var optimiser = LBFGS(historySize: 100)
    let (result, first, last) = reconstructFromNoise(height: photo.height, width: photo.width, seed: UInt64(seed), iterations: iterations,
                                                      optimiser: &optimiser, part: \.content, evaluate: loss.evaluate) { line in
        FileHandle.standardError.write("  \(layer): \(line)\n".data(using: .utf8)!)
    }
    if result.diverged { output.fail("the loss for \(layer) became NaN or infinite; try fewer iterations or another seed") }
    let image = NetworkDemo.picture(network.preprocessing.invert(result.image))
    let difference = zip(image.pixels, photo.pixels).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) } / Double(image.pixels.count)
    print("  \(layer): content loss \(String(format: "%.4g", first)) -> \(String(format: "%.4g", last)); mean difference from the photo \(String(format: "%.1f", difference)) of 255")
    output.save(image, "from-\(layer).png")
    panels.append(image)
    labels.append("FROM \(layer.uppercased())")
}
output.save(ContactSheet.make(panels, labels: labels, title: "RECONSTRUCTED FROM ONE LAYER'S FEATURE MAPS, STARTING FROM WHITE NOISE",
                              columns: panels.count), "content-reconstructions.png")
print("""

What to notice: in content-reconstructions.png the shallow layers give the photo back almost
exactly (the mean difference printed above is small): their feature maps still hold every
pixel. The deeper the layer, the more the reconstruction keeps only the arrangement (where the
face, the suit and the flag are) and loses the exact pixels, colours and fine texture: what a
deep layer represents is the content of the picture, not the picture itself.
""")
