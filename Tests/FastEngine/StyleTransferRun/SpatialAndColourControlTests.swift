import XCTest
import FastLosses
import TestSupport
import Tensors
import Pictures
import StyleRepresentation
import StyleTransfer
import VGG
import PerceptualControl
import FastNetwork
import StyleTransferRun

/// Spatial control on the real VGG19: two styles of very different colours, each assigned by the
/// masks to one half of the picture. Each half of the result must come out nearer in mean colour
/// to its own style than to the other. (Skipped, saying so, when the weights cannot be fetched.)
final class SpatialControlTests: XCTestCase {
    func testEachHalfTakesItsOwnStylesColours() throws {
        // 60 iterations on the whole VGG19 take minutes in a debug build, seconds in release:
        // .ci/run runs this test against the release build.
        try XCTSkipIf(isDebugBuild, "runs against the release build (swift test -c release --filter SpatialControlTests, as .ci/run does)")
        let network = try realVGG19OrSkip()
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
        settings.styleTerm = RegionStyle(picture: halves, styles: [RegionLayout(height: 8, width: 8, regions: 2, labels: [Int](repeating: 0, count: 64)),
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

/// Colour control through a whole run on the real VGG19 (release build, as .ci/run runs it): a
/// photo repainted in a painting of other colours keeps the photo's mean colour within 5 levels
/// either way, and the luminance-only result has the photo's colour differences.
final class ColourControlOnTheNetworkTests: XCTestCase {
    func testBothWaysKeepThePhotosMeanColour() throws {
        try XCTSkipIf(isDebugBuild, "runs against the release build (swift test -c release --filter ColourControlOnTheNetworkTests, as .ci/run does)")
        let network = try realVGG19OrSkip()
        let size = 64, plane = size * size
        // An orange and grey photo; a painting of greens and violets.
        let photo = FloatImage(channels: 3, height: size, width: size, pixels: (0..<(3 * plane)).map { i in
            let (c, p) = (i / plane, i % plane)
            let orange = p % size < 40 && p / size > 20
            let base: [Float] = orange ? [230, 120, 40] : [150, 150, 150]
            return base[c] + Float(orange ? p % 7 : (p / size) % 11)
        })
        let noise = Tensor.random(shape: [3 * plane], in: -50...50, seed: 4).data
        let painting = FloatImage(channels: 3, height: size, width: size, pixels: (0..<(3 * plane)).map { i in
            let stripe: [Float] = ((i % plane) / 8) % 2 == 0 ? [60, 170, 70] : [140, 60, 170]
            return stripe[i / plane] + noise[i]
        })
        var settings = StylizationSettings()
        settings.size = size
        settings.iterations = 40
        settings.initialisation = .content
        func mean(_ image: FloatImage, _ c: Int) -> Float { image.pixels[(c * plane)..<((c + 1) * plane)].reduce(0, +) / Float(plane) }
        for way in [ColourPreservation.luminance, .match] {
            settings.colours = way
            let stylization = Stylization(network: FastVGG(network), content: photo, styles: [painting], settings: settings)
            let result = stylization.run()
            XCTAssertEqual(result.end, .finished)
            let picture = stylization.picture(of: result.image)
            for c in 0..<3 { XCTAssertEqual(mean(picture, c), mean(photo, c), accuracy: 5, "\(way): channel \(c)") }
            if case .luminance = way {
                // R - Y and B - Y are the photo's wherever no value was clamped.
                var compared = 0
                func luminance(_ image: FloatImage, _ p: Int) -> Float {
                    let (r, g, b) = (image.pixels[p], image.pixels[plane + p], image.pixels[2 * plane + p])
                    return 0.299 * r + 0.587 * g + 0.114 * b
                }
                for p in 0..<plane where (0..<3).allSatisfy({ (1...254).contains(picture.pixels[$0 * plane + p]) }) {
                    let (y, yPhoto) = (luminance(picture, p), luminance(photo, p))
                    XCTAssertEqual(picture.pixels[p] - y, photo.pixels[p] - yPhoto, accuracy: 0.01)
                    XCTAssertEqual(picture.pixels[2 * plane + p] - y, photo.pixels[2 * plane + p] - yPhoto, accuracy: 0.01)
                    compared += 1
                }
                XCTAssertGreaterThan(compared, plane / 2)
            }
        }
    }
}
