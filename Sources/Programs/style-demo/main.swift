// Chapter 8: style representation. Synthesises textures that match a painting's Gram matrices
// on growing sets of layers, as in the article's figure of style reconstructions.
// Run with `swift run -c release style-demo`.
import Foundation
import StyleRepresentation
import Optimisers
import VGG
import Kernels
import FastNetwork
import FastLosses
import Tensors
import ImageFiles
import Pictures
import DemoSupport
import NetworkPrograms
import CommandLineArguments

var command = DemoOutput.command(
    name: "style-demo",
    summary: "Chapter 8, Style Representation: starting from white noise, matches the Gram matrices of a style image on relu1_1, then relu1_1 and relu2_1, ... up to all five of relu1_1 to relu5_1, by Adam, and draws the five textures side by side.")
let styleFile = Option<String?>.text("--style", help: "the style image (default: samples/mosaic.png, the project's own mosaic)")
let sizeOption = Option<Int>.integer("--size", in: 32...2048, default: 192,
    help: "the longer side of style and texture in pixels (an image already that size is used as is)")
let iterationsOption = Option<Int>.integer("--iterations", in: 1...10000, default: 100, help: "Adam iterations per texture")
let layerWeights = Option<StyleLayerWeighting>.choice("--layer-weights", [.paper, .equal], default: .paper,
    help: "how the style layers weigh against each other: paper (the paper's: the network rescaled so that mean activations on the style are 1, and equal w_l, each term times (N/64)^2) or equal (the downloaded network and neural-style's equal terms, as style-transfer does)",
    defaultText: "paper")
let normaliseOption = Option<ActivationNormalisation>.choice("--normalise", [.layer, .filter], default: .layer,
    help: "with paper weights, one mean activation per layer or per filter (the paper's way, measured over the style alone)", defaultText: "layer")
command.options += [styleFile.spec, sizeOption.spec, iterationsOption.spec, layerWeights.spec, normaliseOption.spec,
                    NetworkProgram.weights.spec, NetworkProgram.network.spec, NetworkProgram.pooling.spec, NetworkProgram.seed.spec]
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: "style-demo")
let size = command.check { try sizeOption.read(arguments) }
let iterations = command.check { try iterationsOption.read(arguments) }
let seed = command.check { try NetworkProgram.seed.read(arguments) }
let pooling = command.check { try NetworkProgram.pooling.read(arguments) }
let architecture = command.check { try NetworkProgram.network.read(arguments) }
let layerWeighting = command.check { try layerWeights.read(arguments) }
let normalisation = command.check { try normaliseOption.read(arguments) }

// The output folder first, so a bad --output is reported before anything is loaded.
let output = DemoOutput(arguments, name: "style-demo")

let style: FloatImage
do {
    let image = try styleFile.read(arguments).map(NetworkProgram.readPicture) ?? NetworkProgram.defaultStyle()
    style = image.resized(longestSide: size)
} catch { command.fail("\(error)") }
let network = NetworkProgram.loadNetwork(arguments, architecture: architecture, pooling: pooling, of: command)
let fast = FastVGG(network)
let target = network.preprocessing.apply(NetworkProgram.tensor(style))
// With the paper's weighting, the paper's rescaled network too: mean activations on the style
// image made 1, per layer or per filter (NormalisedActivations.swift), so every layer's Gram
// matrix has a comparable size and each layer's term counts.
let textureNetwork = layerWeighting == .paper ? FastVGG(network.normalisedActivations(means: fast.meanActivations(over: [target]), by: normalisation)) : fast
// The rescaled maps are their originals divided by means of about 10 to 100, and a style term
// goes with their fourth power: its gradients would fall below Adam's epsilon (1e-8) and stall
// it. A style weight of 1e6 brings the losses back to the size they have with the downloaded
// network (the texture sought is the same whatever the weight).
let styleWeight: Float = layerWeighting == .paper ? 1e6 : 1

// The style image's Gram matrices on the first two style layers, drawn as pictures.
let styleMaps = fast.forward(target, through: "relu2_1", keeping: ["relu1_1", "relu2_1"])
let gram1 = gramMatrix(styleMaps["relu1_1"]!), gram2 = gramMatrix(styleMaps["relu2_1"]!)
output.save(ContactSheet.make([style.resized(longestSide: 256), gramPicture(gram1, pixelsPerEntry: 4), gramPicture(gram2, pixelsPerEntry: 2)],
                              labels: ["STYLE IMAGE", "GRAM MATRIX OF RELU1_1 (64 X 64)", "GRAM MATRIX OF RELU2_1 (128 X 128)"],
                              title: "THE STYLE'S GRAM MATRICES: DARKER = LARGER (SQUARE-ROOT SCALE)", columns: 3), "gram-matrices.png")
let diagonalShare = (0..<64).reduce(0.0) { $0 + Double(gram1[$1, $1]) } / gram1.data.reduce(0.0) { $0 + Double(max(0, $1)) }
print(String(format: "gram-matrices.png: relu1_1's 64 x 64 Gram matrix; its diagonal (each feature with itself) holds %.0f%% of the total", 100 * diagonalShare))

let allLayers = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
print("Synthesising \(style.width)x\(style.height) textures from white noise, \(iterations) Adam iterations each (learning rate 10, the pixels kept in 0...255), matching the style image's Gram matrices (layers weighted as \(layerWeighting == .paper ? "the paper does, mean activations 1 per \(normalisation)" : "neural-style does")) on:")
var panels = [style], labels = ["STYLE IMAGE"]
for count in 1...allLayers.count {
    let layers = Array(allLayers.prefix(count))
    let loss = FastTextureSynthesisLoss(network: textureNetwork, style: target, layers: layers, weight: styleWeight, layerWeighting: layerWeighting)
    // Adam, not L-BFGS: from white noise a Gram matrix on shallow layers alone is far below its
    // target and the loss curves downwards there, so L-BFGS finds no curvature to scale its
    // steps by and crawls; Adam's steps are normalised per pixel and make progress regardless.
    var optimiser = Adam(learningRate: 10, box: .pixels(network.preprocessing, height: style.height, width: style.width))
    let (result, first, last) = reconstructFromNoise(height: style.height, width: style.width, seed: UInt64(seed), iterations: iterations,
                                                      optimiser: &optimiser, part: \.style, loss: loss) { line in
        FileHandle.standardError.write("  \(count) layer\(count == 1 ? "" : "s"): \(line)\n".data(using: .utf8)!)
    }
    if result.diverged { output.fail("the style loss became NaN or infinite; try fewer iterations or another seed") }
    print("  \(layers.joined(separator: ", ")): style loss \(String(format: "%.4g", first)) -> \(String(format: "%.4g", last))")
    let image = NetworkProgram.picture(network.preprocessing.invert(result.image))
    output.save(image, "texture-\(count)-layer\(count == 1 ? "" : "s").png")
    panels.append(image)
    labels.append(count == 1 ? "RELU1_1" : "RELU1_1 TO RELU\(count)_1")
}
output.save(ContactSheet.make(panels, labels: labels, title: "TEXTURES FROM WHITE NOISE MATCHING THE STYLE'S GRAM MATRICES ON MORE AND MORE LAYERS",
                              columns: panels.count), "style-reconstructions.png")
print("""

What to notice: in style-reconstructions.png the texture matched on relu1_1 alone has the
style's colours and its finest grain but no structure; each deeper layer added brings larger
structures back (for the mosaic: tile edges, then whole tiles outlined by dark grout, then with
relu4_1 and relu5_1 patches of one colour larger than a tile), while the arrangement of the
picture is gone: the Gram matrix keeps which features occur together, not where. The layers
weigh as in the paper (--layer-weights paper: the network rescaled so that each layer's mean
activation on the style is 1); with --layer-weights equal (the downloaded network and
neural-style's terms, as style-transfer uses) relu5_1's term is about a thousandth of the loss
and the last two textures look alike.
""")
