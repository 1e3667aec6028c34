// benchmark: the performance workload of DESIGN.md section 4. One loss+gradient evaluation
// sends a 3 x S x S image through VGG19 from conv1_1 to relu5_1, computes the style-transfer
// loss (content relu4_2; style relu1_1 ... relu5_1; total variation) and its gradient with
// respect to the image. Random weights of VGG19's shapes: the timing is the same as real ones.
//
//   swift run -c release benchmark [--sizes 256,512] [--runs N] [--layers]
//
// It also draws each size's per-layer rates as output/benchmark/layers-SIZE.svg.
import Foundation
import Tensors
import VGG
import StyleTransfer
import ImageFiles

var sizes = [256, 512]
var runs = 5
var layerMinimums = false
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    if flag == "--layers" { layerMinimums = true; continue }
    guard let value = arguments.first else { fputs("benchmark: \(flag) needs a value\n", stderr); exit(2) }
    arguments.removeFirst()
    switch flag {
    case "--sizes":
        let parsed = value.split(separator: ",").compactMap { Int($0) }
        guard !parsed.isEmpty, parsed.allSatisfy({ (32...2048).contains($0) }) else { fputs("benchmark: --sizes takes sizes from 32 to 2048\n", stderr); exit(2) }
        sizes = parsed
    case "--runs":
        guard let n = Int(value), n >= 3 else { fputs("benchmark: --runs must be at least 3\n", stderr); exit(2) }
        runs = n
    default:
        fputs("usage: benchmark [--sizes 256,512] [--runs N] [--layers]\n", stderr); exit(2)
    }
}

keepFreedMemoryForReuse()
let network = VGG19.randomWeights(seed: 7)
let contentLayers = StyleTransferLoss.defaultContentLayers, styleLayers = StyleTransferLoss.defaultStyleLayers


/// Floating-point operations of one 3x3 convolution at (H, W), forward or input gradient
/// (a multiply-add counts as two).
func convolutionFLOP(_ n: Int, _ size: Int) -> Double {
    let shape = VGG19.convolutionShapes[n]
    let side = Double(size >> (n < 2 ? 0 : n < 4 ? 1 : n < 8 ? 2 : n < 12 ? 3 : 4))
    return 2 * 9 * Double(shape.inputChannels * shape.outputChannels) * side * side
}

if layerMinimums {
    // Each convolution alone, forward and input gradient, on random feature maps: the fastest
    // of `runs` repetitions, which is steadier than a median on a shared machine.
    for size in sizes {
        print("size \(size): each convolution alone, fastest of \(runs) (effective GFLOP/s, as below)")
        print("  layer      forward ms  GFLOP/s   backward ms  GFLOP/s")
        for n in 0..<13 {
            let layer = network.convolutions[n]
            let side = size >> (n < 2 ? 0 : n < 4 ? 1 : n < 8 ? 2 : n < 12 ? 3 : 4)
            let x = FeatureMaps(height: side, width: side, channels: layer.inputChannels,
                                data: Tensor.random(shape: [side * side * layer.inputChannels], seed: 5).data)
            let d = FeatureMaps(height: side, width: side, channels: layer.outputChannels,
                                data: Tensor.random(shape: [side * side * layer.outputChannels], seed: 6).data)
            var forward = Double.infinity, backward = Double.infinity
            _ = layer.forward(x, relu: true); _ = layer.backwardInput(d)
            for _ in 0..<runs {
                var start = Clock.now
                _ = layer.forward(x, relu: true)
                forward = min(forward, Clock.now - start)
                start = Clock.now
                _ = layer.backwardInput(d)
                backward = min(backward, Clock.now - start)
            }
            let flop = convolutionFLOP(n, size)
            print(String(format: "  %-9@ %9.1f %8.0f %12.1f %8.0f", VGG19.convolutionShapes[n].name, forward * 1000, flop / forward / 1e9,
                         backward * 1000, flop / backward / 1e9))
        }
    }
    exit(0)
}

print("VGG19 loss+gradient, \(kernelThreads) threads, median of \(runs) runs after a warm-up")
print("(GFLOP/s counts a direct 3x3 convolution's 2*9*C*K*H*W operations; Winograd F(4x4,3x3) does about a")
print(" quarter of those multiplications, so these effective rates can exceed the machine's fp32 peak)")
for size in sizes {
    let content = Tensor.random(shape: [3, size, size], in: -100...100, seed: 1)
    let style = Tensor.random(shape: [3, size, size], in: -100...100, seed: 2)
    let targets = StyleTransferLoss.targets(network: network, content: content, styles: [style], blend: [1],
                                            contentLayers: contentLayers, styleLayers: styleLayers)
    let loss = StyleTransferLoss(network: network, contentLayers: contentLayers, styleLayers: styleLayers,
                                 weights: StyleTransferWeights(), contentTargets: targets.content, styleTargets: targets.style)
    let image = Tensor.random(shape: [3, size, size], in: -100...100, seed: 3)
    _ = loss.evaluate(image)   // warm-up
    var times: [Double] = []
    let timings = ConvolutionTimings()
    for _ in 0..<runs {
        let start = Clock.now
        _ = loss.evaluate(image, timings: timings)
        times.append(Clock.now - start)
    }
    let median = times.sorted()[runs / 2]
    print("size \(size): \(Int((median * 1000).rounded())) ms per loss+gradient")
    let usedConvolutions = 13
    let total = (0..<usedConvolutions).reduce(0.0) { $0 + convolutionFLOP($1, size) } * 2 - convolutionFLOP(0, size)
    print(String(format: "  %.1f GFLOP of convolutions (forward + input gradient): %.0f GFLOP/s overall; runs %@ ms",
                 total / 1e9, total / median / 1e9, times.map { String(Int(($0 * 1000).rounded())) }.joined(separator: " ")))
    print("  layer      forward ms  GFLOP/s   backward ms  GFLOP/s")
    for n in 0..<usedConvolutions {
        let flop = convolutionFLOP(n, size)
        let f = timings.forward[n] / Double(runs), b = timings.backward[n] / Double(runs)
        print(String(format: "  %-9@ %9.1f %8.0f %12.1f %8.0f", VGG19.convolutionShapes[n].name, f * 1000, flop / f / 1e9,
                     b * 1000, b > 0 ? flop / b / 1e9 : 0))
    }
    var rates: [Double] = []
    for n in 0..<usedConvolutions {
        rates.append(convolutionFLOP(n, size) / (timings.forward[n] / Double(runs)) / 1e9)
        rates.append(convolutionFLOP(n, size) / (timings.backward[n] / Double(runs)) / 1e9)
    }
    let top: Double = (max(rates.max() ?? 300, 269) / 100).rounded(.up) * 100
    var chart = LineChart(title: "VGG19 convolutions at \(size)x\(size): effective GFLOP/s (Winograd)",
                          xLabel: "layer (conv1_1 ... conv5_1)", yLabel: "effective GFLOP/s",
                          yRange: 0...top)
    chart.add("forward", (0..<usedConvolutions).map { (x: Double($0 + 1), y: rates[2 * $0]) })
    chart.add("input gradient", (0..<usedConvolutions).map { (x: Double($0 + 1), y: rates[2 * $0 + 1]) })
    chart.add("fp32 peak (269)", [(1, 269), (Double(usedConvolutions), 269)])
    try? FileManager.default.createDirectory(atPath: "output/benchmark", withIntermediateDirectories: true)
    if (try? chart.write(to: "output/benchmark/layers-\(size).svg")) != nil { print("  wrote output/benchmark/layers-\(size).svg") }
    let convSeconds = (timings.forward.reduce(0, +) + timings.backward.reduce(0, +)) / Double(runs)
    print(String(format: "  convolutions %.0f ms of %.0f ms; the rest (pooling, ReLU, Gram, losses) %.0f ms",
                 convSeconds * 1000, median * 1000, (median - convSeconds) * 1000))
}
