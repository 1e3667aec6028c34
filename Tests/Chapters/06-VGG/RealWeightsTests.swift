import XCTest
import Foundation
import Tensors
import TestSupport
@testable import VGG

/// VGG19 on its real ImageNet weights (fetched and checked on first use, as the demos do).
///
/// The tests cannot call PyTorch, so PyTorch's figures were computed once, by
/// scripts/vgg19-reference.py from the same weight file and the same synthetic picture, and
/// stored in Fixtures/pytorch-reference.txt: conv1_1 at four positions, and the mean and standard
/// deviation of all 16 ReLU layers. The plain path must reproduce them (the engine's
/// FastRealWeightsTests hold the fast path to the plain one, layer by layer).
final class RealWeightsTests: XCTestCase {
    /// The network, or a skip that says what to fetch (the suite passes offline, these skipped).
    static func network() throws -> VGG { try realVGG19OrSkip() }

    /// The picture of scripts/vgg19-reference.py: 64x48, integer RGB values from a formula.
    static let picture: Tensor = {
        let (width, height) = (64, 48)
        var rgb = Tensor(shape: [3, height, width])
        for y in 0..<height {
            for x in 0..<width {
                rgb[0, y, x] = Float((x * 7 + y * 3) % 256)
                rgb[1, y, x] = Float((x * x + 5 * y) % 256)
                rgb[2, y, x] = Float(((x ^ y) * 9) % 256)
            }
        }
        return rgb
    }()

    struct Reference {
        var conv1_1: [(k: Int, y: Int, x: Int, value: Double)] = []
        var stats: [String: (mean: Double, std: Double)] = [:]
    }

    static let reference: Reference = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pytorch-reference.txt")
        var reference = Reference()
        for line in (try! String(contentsOf: url, encoding: .utf8)).split(separator: "\n") {
            let parts = line.split(separator: " ").map(String.init)
            if parts[0] == "conv1_1" {
                reference.conv1_1.append((Int(parts[1])!, Int(parts[2])!, Int(parts[3])!, Double(parts[4])!))
            } else {
                reference.stats[parts[0]] = (Double(parts[2])!, Double(parts[4])!)
            }
        }
        return reference
    }()

    static func meanAndStd(_ values: [Float]) -> (Double, Double) {
        var sum = 0.0, squares = 0.0
        for v in values { sum += Double(v); squares += Double(v) * Double(v) }
        let mean = sum / Double(values.count)
        return (mean, (squares / Double(values.count) - mean * mean).squareRoot())
    }

    func testTheFileHoldsVGG19() throws {
        let network = try Self.network()
        XCTAssertEqual(network.convolutions.map(\.outputChannels), [64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512])
        let parameters = network.convolutions.reduce(0) { $0 + $1.weights.count + $1.bias.count }
        XCTAssertEqual(parameters, 20_024_384)
        // Quantised: each layer's weights take at most 256 distinct values.
        for layer in network.convolutions { XCTAssertLessThanOrEqual(Set(layer.weights.data).count, 256) }
    }

    /// conv1_1 by hand: the picture's pixels in BGR order minus the mean, times the kernel,
    /// plus the bias, summed here in Double, at four positions; equal to PyTorch's figures, and
    /// to the plain convolution.
    func testConv1_1ByHandAgreesWithPyTorch() throws {
        let network = try Self.network(), rgb = Self.picture
        let input = network.preprocessing.apply(rgb)
        let plain = network.forward(input, through: "conv1_1")[0]
        let w = network.convolutions[0].weights, b = network.convolutions[0].bias
        for (k, y, x, expected) in Self.reference.conv1_1 {
            var sum = Double(b.data[k])
            for c in 0..<3 {
                let rgbChannel = 2 - c, mean = Double(Preprocessing.caffeMeanBGR[c])
                for i in 0..<3 {
                    for j in 0..<3 {
                        let (yy, xx) = (y + i - 1, x + j - 1)
                        guard yy >= 0, yy < 48, xx >= 0, xx < 64 else { continue }   // zero padding
                        sum += Double(w.data[((k * 3 + c) * 3 + i) * 3 + j]) * (Double(rgb[rgbChannel, yy, xx]) - mean)
                    }
                }
            }
            XCTAssertEqual(sum, expected, accuracy: 1e-6 * max(1, abs(expected)), "conv1_1 (\(k), \(y), \(x)) by hand")
            XCTAssertEqual(Double(plain[k, y, x]), expected, accuracy: 1e-5 * max(1, abs(expected)), "conv1_1 (\(k), \(y), \(x)) plain")
        }
    }

    /// Every ReLU layer's mean and standard deviation against PyTorch's (computed in double precision).
    func testEveryReLULayerMatchesPyTorch() throws {
        let network = try Self.network()
        let input = network.preprocessing.apply(Self.picture)
        let plain = network.forward(input, through: "relu5_4")
        var checked = 0
        for (index, layer) in VGGArchitecture.vgg19.layers.enumerated() where layer.isReLU {
            guard let expected = Self.reference.stats[layer.name] else { XCTFail("no reference for \(layer.name)"); continue }
            let (mean, std) = Self.meanAndStd(plain[index].data)
            XCTAssertEqual(mean, expected.mean, accuracy: 1e-4 * expected.std, "\(layer.name) mean")
            XCTAssertEqual(std, expected.std, accuracy: 1e-4 * expected.std, "\(layer.name) std")
            checked += 1
        }
        XCTAssertEqual(checked, 16)
    }
}
