// benchmark: the performance workload of docs/DESIGN.md, section 6. One loss+gradient evaluation
// sends a 3 x S x S image through VGG19 from conv1_1 to relu5_1, computes the style-transfer
// loss (content relu4_2; style relu1_1 ... relu5_1; total variation) and its gradient with
// respect to the image. Random weights of VGG19's shapes: the timing is the same as real ones.
//
//   swift run -c release benchmark [--sizes 256,512] [--runs N] [--layers]   (--help explains)
//
// It also draws each size's per-layer rates as layers-SIZE.svg in its --output folder
// (output/benchmark by default).
import Parallel
import Foundation
import Dispatch
import Tensors
import Kernels
import VGG
import FastNetwork
import StyleTransfer
import FastLosses
import Pictures
import DemoSupport
import NetworkPrograms
import CommandLineArguments

/// Seconds from a monotonic clock.
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

let sizesOption = Option<[Int]>.integers("--sizes", value: "S,S", in: 32...2048, default: [256, 512], help: "image sizes in pixels")
let runsOption = Option<Int>.integer("--runs", in: 3...1000, default: 5, help: "evaluations per size after a warm-up; the median is reported")
let layersOnly = Option<Bool>.flag("--layers", help: "only time each convolution and each style layer's Gram matrix alone, fastest of the runs")
let styleLossOption = Option<StyleLossKind>.choice("--style-loss", StyleLossKind.allCases, default: .gram,
    help: "the style term timed: Gram matrices (the workload of docs/DESIGN.md), or chapter 8b's sliced Wasserstein or histogram term",
    defaultText: StyleLossKind.gram.rawValue)
let folderOption = DemoOutput.folderOption("benchmark")
let command = CommandSpec(
    name: "benchmark",
    summary: "Times one VGG19 loss+gradient evaluation (forward to relu5_1, the style-transfer loss, the gradient with respect to the image) on random weights of VGG19's shapes, and each convolution's rate; draws layers-SIZE.svg in the --output folder.",
    options: [sizesOption.spec, runsOption.spec, layersOnly.spec, styleLossOption.spec, folderOption.spec])
let arguments = command.parseCommandLine()
sayIfDebugBuild(program: "benchmark")
let sizes = command.check { try sizesOption.read(arguments) }
let runs = command.check { try runsOption.read(arguments) }
let layerMinimums = command.check { try layersOnly.read(arguments) }
let styleLoss = command.check { try styleLossOption.read(arguments) }
/// The charts' folder, made (or refused) before any timing; --layers draws nothing.
let output: DemoOutput? = layerMinimums ? nil : DemoOutput(arguments, name: "benchmark")

keepFreedMemoryForReuse()
var network = FastVGG(VGG.randomWeights(seed: 7))
/// Each stage's time inside the timed evaluations (the split printed after each size).
let stageTimes = StageTimes()
network.stageTimes = stageTimes
let contentLayers = DefaultLayers.content, styleLayers = DefaultLayers.style


/// Floating-point operations of one 3x3 convolution at (H, W), forward or input gradient
/// (a multiply-add counts as two).
func convolutionFLOP(_ n: Int, _ size: Int) -> Double {
    let shape = VGGArchitecture.vgg19.convolutionShapes[n]
    let side = Double(size >> (n < 2 ? 0 : n < 4 ? 1 : n < 8 ? 2 : n < 12 ? 3 : 4))
    return 2 * 9 * Double(shape.inputChannels * shape.outputChannels) * side * side
}

/// Each convolution alone at `size`, forward (with its fused ReLU) and input gradient, on
/// random maps: the fastest of `runs` repetitions, which is steadier than a median on a shared
/// machine. The network code itself carries no timing: it is measured from outside.
func convolutionTimes(size: Int, runs: Int) -> (forward: [Double], backward: [Double]) {
    var forwardTimes: [Double] = [], backwardTimes: [Double] = []
    for n in 0..<13 {
        let layer = network.convolutions[n]
        let side = size >> (n < 2 ? 0 : n < 4 ? 1 : n < 8 ? 2 : n < 12 ? 3 : 4)
        let x = ChannelsLastMaps(height: side, width: side, channels: layer.inputChannels,
                                 data: Tensor.random(shape: [side * side * layer.inputChannels], seed: 5).data)
        let d = ChannelsLastMaps(height: side, width: side, channels: layer.outputChannels,
                                 data: Tensor.random(shape: [side * side * layer.outputChannels], seed: 6).data)
        var forward = Double.infinity, backward = Double.infinity
        _ = layer.forward(x, relu: true); _ = layer.backwardInput(d)
        for _ in 0..<runs {
            var start = now()
            _ = layer.forward(x, relu: true)
            forward = min(forward, now() - start)
            start = now()
            _ = layer.backwardInput(d)
            backward = min(backward, now() - start)
        }
        forwardTimes.append(forward)
        backwardTimes.append(backward)
    }
    return (forwardTimes, backwardTimes)
}

func printLayerTable(_ times: (forward: [Double], backward: [Double]), size: Int) {
    print("  layer      forward ms  GFLOP/s   backward ms  GFLOP/s")
    for n in 0..<13 {
        let flop = convolutionFLOP(n, size)
        print(String(format: "  %-9@ %9.1f %8.0f %12.1f %8.0f", VGGArchitecture.vgg19.convolutionShapes[n].name, times.forward[n] * 1000,
                     flop / times.forward[n] / 1e9, times.backward[n] * 1000, flop / times.backward[n] / 1e9))
    }
}

/// Each style layer's Gram matrix alone at `size`, forward and gradient, on random maps: the
/// fastest of `runs`. The forward counts C*C*H*W multiply-adds although only the upper triangle
/// is computed; the gradient is a full C x C product over the positions.
func printGramTable(size: Int, runs: Int) {
    print("  Gram at    forward ms  GFLOP/s   backward ms  GFLOP/s")
    for (name, channels, shift) in [("relu1_1", 64, 0), ("relu2_1", 128, 1), ("relu3_1", 256, 2), ("relu4_1", 512, 3), ("relu5_1", 512, 4)] {
        let side = size >> shift
        let maps = ChannelsLastMaps(height: side, width: side, channels: channels,
                                    data: Tensor.random(shape: [side * side * channels], seed: 5).data)
        let dGram = Tensor.random(shape: [channels, channels], seed: 6)
        var forward = Double.infinity, backward = Double.infinity
        _ = gramMatrix(maps); _ = gramMatrixBackward(dGram: dGram, features: maps)
        for _ in 0..<runs {
            var start = now()
            _ = gramMatrix(maps)
            forward = min(forward, now() - start)
            start = now()
            _ = gramMatrixBackward(dGram: dGram, features: maps)
            backward = min(backward, now() - start)
        }
        let flop = 2 * Double(channels * channels * side * side)
        print(String(format: "  %-9@ %9.1f %8.0f %12.1f %8.0f", name, forward * 1000, flop / forward / 1e9, backward * 1000, flop / backward / 1e9))
    }
}

if layerMinimums {
    for size in sizes {
        print("size \(size): each convolution alone, fastest of \(runs) (effective GFLOP/s, as below)")
        printLayerTable(convolutionTimes(size: size, runs: runs), size: size)
        printGramTable(size: size, runs: runs)
    }
    exit(0)
}

let processor = MicroKernelShape.selection
print("VGG19 loss+gradient with the \(styleLoss.rawValue) style term, \(kernelThreads) thread\(kernelThreads == 1 ? "" : "s") (STYLE_THREADS) on \(parallelLoopRunner), median of \(runs) runs after a warm-up")
print("micro-kernel \(processor.shape.summary): \(processor.reason)")
print("(GFLOP/s counts a direct 3x3 convolution's 2*9*C*K*H*W operations; Winograd F(4x4,3x3) does about a")
print(" quarter of those multiplications, so these effective rates can exceed the machine's fp32 peak)")
for size in sizes {
    let content = Tensor.random(shape: [3, size, size], in: -100...100, seed: 1)
    let style = Tensor.random(shape: [3, size, size], in: -100...100, seed: 2)
    let targets = FastStyleTransferLoss.targets(network: network, content: content, styles: [style], blend: [1],
                                            contentLayers: contentLayers, styleLayers: styleLayers)
    let styleTerm: any FastStyleTerm = styleLoss == .gram ? FastGramMatrixTerm(targets: targets.style)
        : styleLoss.maker(seed: 1).term(network: network, styles: [style], blend: [1], layers: styleLayers, height: size, width: size, coreSize: nil)
    let loss = FastStyleTransferLoss(network: network, contentLayers: contentLayers, styleLayers: styleLayers,
                                 weights: StyleTransferWeights(), contentTargets: targets.content, style: styleTerm)
    let image = Tensor.random(shape: [3, size, size], in: -100...100, seed: 3)
    _ = loss.evaluate(image)   // warm-up
    stageTimes.reset()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = now()
        _ = loss.evaluate(image)
        times.append(now() - start)
    }
    let median = times.sorted()[runs / 2]
    print("size \(size): \(Int((median * 1000).rounded())) ms per loss+gradient")
    // The split of those same evaluations, stage by stage (means per evaluation).
    let mean = times.reduce(0, +) / Double(runs)
    let perStage = StageTimes.Stage.allCases.map { ($0, stageTimes[$0] / Double(runs)) }
    let convolutionSeconds = stageTimes[.convolutions] / Double(runs)
    let rest = mean - convolutionSeconds
    let restParts = perStage.filter { $0.0 != .convolutions }.map { String(format: "%@ %.0f", $0.0.rawValue, $0.1 * 1000) }
    let unaccounted = rest - perStage.filter { $0.0 != .convolutions }.reduce(0) { $0 + $1.1 }
    print(String(format: "convolutions about %.0f ms of %.0f ms; the rest %.0f ms (%.1f%%): %@, other %.0f",
                 convolutionSeconds * 1000, mean * 1000, rest * 1000, 100 * rest / mean,
                 restParts.joined(separator: ", "), unaccounted * 1000))
    let usedConvolutions = 13
    let total = (0..<usedConvolutions).reduce(0.0) { $0 + convolutionFLOP($1, size) } * 2 - convolutionFLOP(0, size)
    print(String(format: "  %.1f GFLOP of convolutions (forward + input gradient): %.0f GFLOP/s overall; runs %@ ms",
                 total / 1e9, total / median / 1e9, times.map { String(Int(($0 * 1000).rounded())) }.joined(separator: " ")))
    print("  each convolution alone, fastest of 3:")
    let layerTimes = convolutionTimes(size: size, runs: 3)
    printLayerTable(layerTimes, size: size)
    var chart = LineChart(title: "VGG19 convolutions at \(size)x\(size): effective GFLOP/s (Winograd)",
                          xLabel: "layer (conv1_1 ... conv5_1)", yLabel: "effective GFLOP/s")
    let forwardRates = (0..<usedConvolutions).map { convolutionFLOP($0, size) / layerTimes.forward[$0] / 1e9 }
    let backwardRates = (0..<usedConvolutions).map { convolutionFLOP($0, size) / layerTimes.backward[$0] / 1e9 }
    chart.yRange = 0...(((forwardRates + backwardRates).max() ?? 300) / 100).rounded(.up) * 100
    chart.add("forward", forwardRates.enumerated().map { (x: Double($0.offset + 1), y: $0.element) })
    chart.add("input gradient", backwardRates.enumerated().map { (x: Double($0.offset + 1), y: $0.element) })
    output?.saveChart(chart, "layers-\(size).svg")
}
