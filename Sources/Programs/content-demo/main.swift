// Chapter 7: content representation. Reconstructs a photo from one layer's feature maps alone,
// as in Gatys et al.'s figure 1 (content row). Run with `swift run -c release content-demo`.
import Foundation
import ContentRepresentation
import Optimisers
import VGG
import FastNetwork
import FastOptimisers
import FastLosses
import Tensors
import ImageFiles
import Pictures
import DemoSupport
import NetworkPrograms
import Fetching
import CommandLineArguments

var command = DemoOutput.command(
    name: "content-demo",
    summary: "Chapter 7, Content Representation: starting from white noise, reconstructs a photo from the feature maps of conv1_1, conv2_1, conv3_1, conv4_1 and conv5_1 of VGG19 (the layers of the paper's figure 1), each alone, by descending the content loss with L-BFGS, and draws the five side by side.")
let imageFile = Option<String?>.text("--image", help: "the photo (default: the astronaut sample)")
let sizeOption = Option<Int>.integer("--size", in: 32...2048, default: 224,
    help: "the longer side in pixels (a photo already that size is used as is)")
let iterationsOption = Option<Int>.integer("--iterations", in: 1...10000, default: 120, help: "L-BFGS iterations per layer")
let layersOption = Option<[String]?>.list("--layers", value: "LIST",
    help: "comma-separated layer names (default conv1_1,conv2_1,conv3_1,conv4_1,conv5_1, the paper's)", expected: "layer names separated by commas")
command.options += [imageFile.spec, sizeOption.spec, iterationsOption.spec, layersOption.spec,
                    NetworkProgram.weights.spec, NetworkProgram.network.spec, NetworkProgram.pooling.spec, NetworkProgram.seed.spec]
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: "content-demo")
let size = command.check { try sizeOption.read(arguments) }
let iterations = command.check { try iterationsOption.read(arguments) }
let seed = command.check { try NetworkProgram.seed.read(arguments) }
let layers = command.check { try layersOption.read(arguments) } ?? ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"]
let pooling = command.check { try NetworkProgram.pooling.read(arguments) }
let architecture = command.check { try NetworkProgram.network.read(arguments) }
for layer in layers where architecture.layerIndex(layer) == nil {
    command.fail(ArgumentError.badValue(option: "--layers", value: layer, expected: "\(architecture.name) layer names such as conv4_2 or relu3_1"))
}

// The output folder first, so a bad --output is reported before anything is loaded.
let output = DemoOutput(arguments, name: "content-demo")

let photo: FloatImage
do {
    let path = try imageFile.read(arguments) ?? SamplePhotos.path("astronaut.png")
    photo = try NetworkProgram.readPicture(path).resized(longestSide: size)
} catch { command.fail("\(error)") }
let network = NetworkProgram.loadNetwork(arguments, architecture: architecture, pooling: pooling, of: command)
let fast = FastVGG(network)
let target = network.preprocessing.apply(NetworkProgram.tensor(photo))

print("Reconstructing the \(photo.width)x\(photo.height) photo from each layer alone: white noise, then \(iterations) L-BFGS iterations on the content loss, the pixels kept in 0...255.")
var panels = [photo], labels = ["ORIGINAL"]
for layer in layers {
    let loss = FastContentReconstructionLoss(network: fast, content: target, layers: [layer])
    var optimiser = LBFGS(historySize: 100, arithmetic: FastLBFGSLoops(), box: .pixels(network.preprocessing, height: photo.height, width: photo.width))
    let (result, first, last) = reconstructFromNoise(height: photo.height, width: photo.width, seed: UInt64(seed), iterations: iterations,
                                                      optimiser: &optimiser, part: \.content, loss: loss) { line in
        FileHandle.standardError.write("  \(layer): \(line)\n".data(using: .utf8)!)
    }
    if result.diverged { output.fail("the loss for \(layer) became NaN or infinite; try fewer iterations or another seed") }
    let image = NetworkProgram.picture(network.preprocessing.invert(result.image))
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
