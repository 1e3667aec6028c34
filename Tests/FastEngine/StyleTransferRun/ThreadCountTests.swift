import XCTest
import Foundation
import Tensors
import VGG
import Pictures
import TestSupport
import StyleTransfer
import FastNetwork
import FastLosses
import Optimisers
import FastOptimisers
@testable import StyleTransferRun

/// The same inputs, options and seed give the same bits on any number of threads: every sum that
/// crosses threads is cut into pieces fixed by the problem's size and added in a fixed order
/// (docs/DESIGN.md, "Threads"). The number of threads is read once, when a process starts
/// (STYLE_THREADS), so this test runs itself again in child processes (TestSupport's
/// SameBitsOnAnyThreads.swift). Each child writes the bits of a whole run and of a tiled
/// evaluation on a narrow VGG19; all must be equal.
final class ThreadCountTests: XCTestCase {
    func testTheSameBitsOnAnyNumberOfThreads() throws {
        try assertSameBitsOnAnyNumberOfThreads(test: "\(String(reflecting: Self.self))/testTheSameBitsOnAnyNumberOfThreads",
                                               minimumBytes: 1000, Self.bits)
    }

    /// A whole run (two scales of L-BFGS from noise) and a tiled evaluation, as bytes: the final
    /// image, every logged loss, the tiled loss and its gradient.
    static func bits() -> [UInt8] {
        let network = FastVGG(VGG.randomWeights(seed: 9, widthDivisor: 16))
        func picture(_ height: Int, _ width: Int, _ seed: UInt64) -> FloatImage {
            FloatImage(channels: 3, height: height, width: width, pixels: Tensor.random(shape: [3, height, width], in: 0...255, seed: seed).data)
        }
        var settings = StylizationSettings()
        settings.size = 96
        settings.scales = 2
        settings.iterations = 8
        settings.seed = 3
        let run = Stylization(network: network, content: picture(72, 96, 1), styles: [picture(80, 64, 2)], settings: settings)
        var losses: [Double] = []
        let result = run.run(observe: { losses += [$0.row.total, $0.row.content, $0.row.style, $0.row.totalVariation] })
        // Chapter 8b's terms: the sliced one redrawn every 3 iterations, and the histogram one.
        var distributionImages: [Float] = []
        for maker in [SlicedWassersteinStyle(seed: 5, redrawEvery: 3, weightFactor: 6) as any StyleTermMaker, HistogramStyle(histogramFactor: 4)] {
            var distribution = settings
            distribution.styleTerm = maker
            let run = Stylization(network: network, content: picture(72, 96, 1), styles: [picture(80, 64, 2), picture(64, 64, 4)], settings: distribution)
            distributionImages += run.run(observe: { losses += [$0.row.total, $0.row.style] }).image.data
        }
        // The tiled path: 200x200 in 4x4 tiles of 64 pixels.
        let images = (1...3).map { Tensor.random(shape: [3, 200, 200], in: -60...60, seed: 30 + UInt64($0)) }
        let targets = FastStyleTransferLoss.targets(network: network, content: images[0], styles: [images[1]], blend: [1],
                                                contentLayers: DefaultLayers.content, styleLayers: DefaultLayers.style, coreSize: 64)
        let loss = FastStyleTransferLoss(network: network, contentLayers: DefaultLayers.content, styleLayers: DefaultLayers.style,
                                     weights: StyleTransferWeights(), contentTargets: targets.content, styleTargets: targets.style)
        let grid = TileGrid(height: 200, width: 200, coreSize: 64, architecture: .vgg19, deepestLayer: loss.deepestLayer)
        let tiled = loss.evaluate(images[2], tiles: grid)
        losses += [tiled.parts.content, tiled.parts.style, tiled.parts.totalVariation]
        // The box's operations over several blocks (chapter 6b): projection, held values, the promised decrease.
        let box = Box.pixels(.caffe, height: 300, width: 301)
        let (fast, g) = (FastLBFGSLoops(), Tensor.random(shape: [box.count], in: -1...1, seed: 40).data)
        var x = Tensor.random(shape: [box.count], in: -300...300, seed: 41).data, held = g
        fast.project(&x, into: box)
        fast.zeroHeld(&held, at: x, gradient: g, in: box)
        losses.append(fast.dot(g, minus: held, plus: x))
        let floats = result.image.data + tiled.gradient.data + x + held + distributionImages
        return floats.flatMap { withUnsafeBytes(of: $0.bitPattern) { Array($0) } } + losses.flatMap { withUnsafeBytes(of: $0.bitPattern) { Array($0) } }
    }
}
