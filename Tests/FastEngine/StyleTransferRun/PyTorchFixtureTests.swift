import XCTest
import Foundation
import TestSupport
import Tensors
import Pictures
import VGG
import StyleTransfer
import FastNetwork
import FastLosses
import StyleTransferRun

/// Ground truth from outside (as llm.c's test_gpt2.c checks its C against PyTorch): the loss, its
/// gradient and the first L-BFGS losses that PyTorch computed for a small picture on the real
/// VGG19 weights, stored in Fixtures/pytorch-loss.json by scripts/pytorch-loss-fixture.py (which
/// says how), against both the engine and the chapters' plain code. The fixture holds its own
/// pictures, so nothing but the weights is fetched.
final class PyTorchFixtureTests: XCTestCase {
    struct Fixture: Decodable {
        var size: Int
        var content_pixels: [UInt8], style_pixels: [UInt8], start_pixels: [UInt8]
        var content: Double, style: Double, tv: Double
        var gradient_norm: Double
        var gradient_entries: [[Double]]
        var lbfgs_losses: [Double]

        /// A picture of the fixture (rows of R G B) as the project holds pictures: channel planes.
        func picture(_ bytes: [UInt8]) -> FloatImage {
            let plane = size * size
            return FloatImage(channels: 3, height: size, width: size, pixels: (0..<(3 * plane)).map { Float(bytes[($0 % plane) * 3 + $0 / plane]) })
        }
    }

    func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pytorch-loss.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// The run the fixture's L-BFGS losses describe: from its start picture, free, 5 iterations.
    func reference(_ network: VGG, _ fixture: Fixture) -> ReferenceRun {
        var settings = StylizationSettings()
        settings.size = fixture.size
        settings.initialisation = .image(fixture.picture(fixture.start_pixels))
        settings.freeDescent = true
        settings.iterations = fixture.lbfgs_losses.count
        return ReferenceRun(network: network, content: fixture.picture(fixture.content_pixels), styles: [fixture.picture(fixture.style_pixels)],
                            settings: settings)
    }

    /// The loss's parts and its gradient at the start: the engine's and the chapters' each within
    /// 1e-4 of PyTorch's (a weight changed by 1% moves its part 1e-2), the gradient's norm within
    /// 1e-3, and each of 24 entries within 1e-3 of the gradient's largest entry.
    func testLossAndGradientMatchPyTorch() throws {
        try XCTSkipIf(isDebugBuild, "runs against the release build (swift test -c release --filter PyTorchFixtureTests, as .ci/run does)")
        let network = try realVGG19OrSkip(), fixture = try fixture()
        let prepare = { (bytes: [UInt8]) in network.preprocessing.apply(Tensor(shape: [3, fixture.size, fixture.size], data: fixture.picture(bytes).pixels)) }
        let (content, style, start) = (prepare(fixture.content_pixels), prepare(fixture.style_pixels), prepare(fixture.start_pixels))
        let plain = StyleTransferLoss(network: network, content: content, styles: [style], blend: [1], contentLayers: DefaultLayers.content,
                                      styleLayers: DefaultLayers.style, weights: StyleTransferWeights())
        let fastNetwork = FastVGG(network)
        let targets = FastStyleTransferLoss.targets(network: fastNetwork, content: content, styles: [style], blend: [1],
                                                    contentLayers: DefaultLayers.content, styleLayers: DefaultLayers.style)
        let fast = FastStyleTransferLoss(network: fastNetwork, contentLayers: DefaultLayers.content, styleLayers: DefaultLayers.style,
                                         weights: StyleTransferWeights(), contentTargets: targets.content, styleTargets: targets.style)
        for (name, result) in [("engine", fast.evaluate(start)), ("chapters", plain.evaluate(start))] {
            XCTAssertEqual(result.parts.content, fixture.content, accuracy: 1e-4 * fixture.content, "\(name): content term")
            XCTAssertEqual(result.parts.style, fixture.style, accuracy: 1e-4 * fixture.style, "\(name): style term")
            XCTAssertEqual(result.parts.totalVariation, fixture.tv, accuracy: 1e-4 * fixture.tv, "\(name): total variation")
            let norm = result.gradient.data.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            XCTAssertEqual(norm, fixture.gradient_norm, accuracy: 1e-3 * fixture.gradient_norm, "\(name): the gradient's norm")
            let largest = Double(result.gradient.data.map(abs).max()!)
            for entry in fixture.gradient_entries {
                XCTAssertEqual(Double(result.gradient.data[Int(entry[0])]), entry[1], accuracy: 1e-3 * largest, "\(name): gradient entry \(Int(entry[0]))")
            }
        }
    }

    /// The first L-BFGS losses (after 0 to 4 steps, the pixels free) of the engine's run and of
    /// the chapters' run (`style-transfer --reference`'s two runs), each within 1e-4 of PyTorch's.
    func testLBFGSLossesMatchPyTorch() throws {
        try XCTSkipIf(isDebugBuild, "runs against the release build (swift test -c release --filter PyTorchFixtureTests, as .ci/run does)")
        let network = try realVGG19OrSkip(), fixture = try fixture()
        let run = reference(network, fixture)
        let engine = run.engineRun().rows.prefix(fixture.lbfgs_losses.count).map(\.total)
        var chapters: [Double] = []
        _ = run.referenceRun { iteration, parts in if iteration != nil { chapters.append(parts.total) } }
        XCTAssertEqual(engine.count, fixture.lbfgs_losses.count)
        XCTAssertEqual(chapters.count, fixture.lbfgs_losses.count)
        for (i, expected) in fixture.lbfgs_losses.enumerated() {
            print(String(format: "after %d steps: PyTorch %.7e, engine %.7e, chapters %.7e", i, expected, engine[i], chapters[i]))
            XCTAssertEqual(engine[i], expected, accuracy: 1e-4 * expected, "the engine's loss after \(i) steps")
            XCTAssertEqual(chapters[i], expected, accuracy: 1e-4 * expected, "the chapters' loss after \(i) steps")
        }
    }
}
