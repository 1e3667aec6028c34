import XCTest
import Tensors
import Pictures
import StyleRepresentation
import StyleTransfer
import VGG
import Fetching

/// Spatial control on the real VGG19: two styles of very different colours, each assigned by the
/// masks to one half of the picture. Each half of the result must come out nearer in mean colour
/// to its own style than to the other. (Skipped, saying so, when the weights cannot be fetched.)
final class SpatialControlTests: XCTestCase {
    func testEachHalfTakesItsOwnStylesColours() throws {
        #if DEBUG
        // 60 iterations on the whole VGG19 take minutes in a debug build, seconds in release:
        // .ci/run runs this test against the release build.
        throw XCTSkip("runs against the release build (swift test -c release --filter SpatialControlTests, as .ci/run does)")
        #endif
        let network: VGG
        do { network = try VGG.pretrained(weights: PretrainedWeights.vgg19Path()) } catch {
            throw XCTSkip("needs the VGG19 weights, which could not be fetched (run `swift run -c release fetch-samples` with a network): \(error)")
        }
        try assertEachHalfTakesItsOwnStylesColours(network: network, size: 64)
    }

    /// The same on the narrow random network the other tests use (a sixteenth of the channels):
    /// quick in any build, and no download.
    func testEachHalfTakesItsOwnStylesColoursOnTheNarrowNetwork() throws {
        try assertEachHalfTakesItsOwnStylesColours(network: VGG.randomWeights(seed: 3, widthDivisor: 16), size: 32, photo: false)
    }

    /// With `photo`, a grey ramp is repainted; without, a texture is synthesised, its regions laid
    /// out by the mask alone.
    func assertEachHalfTakesItsOwnStylesColours(network: VGG, size: Int, photo usePhoto: Bool = true, line: UInt = #line) throws {
        let plane = size * size
        /// A texture of random blotches around one colour.
        func texture(_ colour: [Float], seed: UInt64) -> FloatImage {
            let noise = Tensor.random(shape: [3 * plane], in: -40...40, seed: seed).data
            return FloatImage(channels: 3, height: size, width: size, pixels: (0..<(3 * plane)).map { colour[$0 / plane] + noise[$0] })
        }
        let (red, blue): ([Float], [Float]) = ([200, 40, 40], [40, 70, 210])
        let photo = FloatImage(channels: 3, height: size, width: size, pixels: (0..<(3 * plane)).map { Float(60 + ($0 % plane) % size * 2) })
        var settings = StylizationSettings()
        settings.size = size
        settings.iterations = usePhoto ? 60 : 300
        settings.initialisation = .noise
        let halves = RegionLayout(height: size, width: size, regions: 2, labels: (0..<plane).map { $0 % size < size / 2 ? 0 : 1 })
        settings.regions = (halves, [RegionLayout(height: 8, width: 8, regions: 2, labels: [Int](repeating: 0, count: 64)),
                                     RegionLayout(height: 8, width: 8, regions: 2, labels: [Int](repeating: 1, count: 64))])
        let stylization = Stylization(network: FastVGG(network), content: usePhoto ? photo : nil, styles: [texture(red, seed: 1), texture(blue, seed: 2)],
                                      settings: settings)
        let result = stylization.run()
        XCTAssertEqual(result.end, .finished, line: line)
        let picture = stylization.picture(of: result.image)
        func meanColour(left: Bool) -> [Float] {
            (0..<3).map { c in
                let values = (0..<plane).filter { ($0 % size < size / 2) == left }.map { picture.pixels[c * plane + $0] }
                return values.reduce(0, +) / Float(values.count)
            }
        }
        func distance(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() }
        let (left, right) = (meanColour(left: true), meanColour(left: false))
        XCTAssertLessThan(distance(left, red), distance(left, blue), "left half \(left): nearer the red style", line: line)
        XCTAssertLessThan(distance(right, blue), distance(right, red), "right half \(right): nearer the blue style", line: line)
    }
}
