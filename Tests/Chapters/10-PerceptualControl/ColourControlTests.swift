import XCTest
import Pictures
import SeededRandom
import StyleTransfer
@testable import PerceptualControl

/// Colour control: the symmetric square root, and the two ways of keeping a photo's colours,
/// each checked by the statistics it promises.
final class ColourControlTests: XCTestCase {
    /// A picture of random colours mixed by `mix` (so the channels are correlated), plus `offset`.
    static func picture(seed: UInt64, mix: [[Float]], offset: [Float], width: Int = 23, height: Int = 17) -> FloatImage {
        var generator = SplitMix64(seed: seed)
        let plane = width * height
        var pixels = [Float](repeating: 0, count: 3 * plane)
        for i in 0..<plane {
            let u = (0..<3).map { _ in Float.random(in: -50...50, using: &generator) }
            for c in 0..<3 { pixels[c * plane + i] = offset[c] + mix[c][0] * u[0] + mix[c][1] * u[1] + mix[c][2] * u[2] }
        }
        return FloatImage(channels: 3, height: height, width: width, pixels: pixels)
    }

    let photo: FloatImage = ColourControlTests.picture(seed: 1, mix: [[1, 0.2, 0], [0.5, 0.8, 0.1], [0.1, 0.3, 0.6]], offset: [120, 100, 90])
    let painting: FloatImage = ColourControlTests.picture(seed: 2, mix: [[0.3, 0, 0.9], [0, 1.2, 0.2], [0.7, 0.1, 0.2]], offset: [60, 140, 200])

    func assertClose(_ a: [[Double]], _ b: [[Double]], _ tolerance: Double, _ message: String, line: UInt = #line) {
        for r in 0..<3 { for c in 0..<3 { XCTAssertEqual(a[r][c], b[r][c], accuracy: tolerance, "\(message) [\(r)][\(c)]", line: line) } }
    }

    func testEigenvectorsAndSquareRoots() {
        let m = colourStatistics(painting).covariance
        let (values, v) = symmetricEigen(m)
        // V diag(lambda) V^T = M, and V^T V = I.
        var rebuilt = [[Double]](repeating: [0, 0, 0], count: 3), gram = rebuilt
        for r in 0..<3 { for c in 0..<3 { for k in 0..<3 {
            rebuilt[r][c] += v[r][k] * values[k] * v[c][k]
            gram[r][c] += v[k][r] * v[k][c]
        } } }
        assertClose(rebuilt, m, 1e-9 * values.map(abs).max()!, "V diag V^T")
        assertClose(gram, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 1e-12, "V^T V")
        // The root squared is M; the inverse root times the root is I; the root is symmetric.
        let root = symmetricPower(m, 0.5), inverse = symmetricPower(m, -0.5)
        assertClose(multiply(root, root), m, 1e-9 * values.max()!, "root squared")
        assertClose(multiply(inverse, root), [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 1e-9, "inverse root times root")
        assertClose(root, (0..<3).map { r in (0..<3).map { root[$0][r] } }, 1e-12, "symmetric")
    }

    func testMatchedColoursHaveThePhotosMeanAndCovariance() {
        let matched = matchingColours(painting, to: photo)
        let (mean, covariance) = colourStatistics(matched), target = colourStatistics(photo)
        for c in 0..<3 { XCTAssertEqual(mean[c], target.mean[c], accuracy: 1e-3, "mean \(c)") }
        assertClose(covariance, target.covariance, 1e-3 * target.covariance[0][0], "covariance")
        // A picture matched to itself is itself.
        let same = matchingColours(photo, to: photo)
        for (a, b) in zip(same.pixels, photo.pixels) { XCTAssertEqual(a, b, accuracy: 1e-3) }
    }

    /// The reason for the symmetric root: listing the colours in another order (BGR) gives the
    /// same recolouring, in that order. (A Cholesky factor would not.)
    func testMatchingDoesNotDependOnTheChannelOrder() {
        func bgr(_ image: FloatImage) -> FloatImage {
            let plane = image.width * image.height
            return FloatImage(channels: 3, height: image.height, width: image.width,
                              pixels: Array(image.pixels[(2 * plane)...]) + Array(image.pixels[plane..<(2 * plane)]) + Array(image.pixels[..<plane]))
        }
        let direct = bgr(matchingColours(painting, to: photo)), reordered = matchingColours(bgr(painting), to: bgr(photo))
        for (a, b) in zip(direct.pixels, reordered.pixels) { XCTAssertEqual(a, b, accuracy: 1e-3) }
    }

    func testMatchedLuminanceHasThePhotosMeanAndSpread() {
        let grey = matchingLuminance(painting, to: photo)
        let (mean, deviation) = meanAndDeviation(luminancePlane(grey)), target = meanAndDeviation(luminancePlane(photo))
        XCTAssertEqual(mean, target.mean, accuracy: 1e-3)
        XCTAssertEqual(deviation, target.deviation, accuracy: 1e-3)
        let plane = grey.width * grey.height
        XCTAssertEqual(Array(grey.pixels[..<plane]), Array(grey.pixels[plane..<(2 * plane)]), "grey: R = G")
    }

    /// Luminance only: the transfer's pictures are grey, and the finished picture has the
    /// result's luminance with the photo's colour differences.
    func testLuminanceModePreparesGreyPicturesAndPutsThePhotosColoursBack() {
        let (content, styles) = ColourPreservation.luminance.prepare(content: photo, styles: [painting])
        XCTAssertEqual(content, greyLuminance(photo))
        XCTAssertEqual(styles, [matchingLuminance(painting, to: photo)])
        let result = greyLuminance(painting.resized(width: photo.width, height: photo.height))
        let finished = ColourPreservation.luminance.finish(result, content: photo)
        let (y, yResult) = (luminancePlane(finished), luminancePlane(result))
        for (a, b) in zip(y, yResult) { XCTAssertEqual(a, b, accuracy: 1e-2, "the result's luminance") }
        let plane = photo.width * photo.height, yPhoto = luminancePlane(photo)
        for i in 0..<plane {   // R - Y is the photo's
            XCTAssertEqual(finished.pixels[i] - y[i], photo.pixels[i] - yPhoto[i], accuracy: 1e-2)
        }
        // Colour matching changes only the styles, and leaves the result as it is.
        let matched = ColourPreservation.match.prepare(content: photo, styles: [painting])
        XCTAssertEqual(matched.content, photo)
        XCTAssertEqual(ColourPreservation.match.finish(result, content: photo), result)
    }

    /// Original colours: the result keeps the stylised luminance and takes the photo's colour
    /// differences R - Y and B - Y.
    func testOriginalColorsKeepLuminanceAndTakeColour() {
        let identity: [[Float]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        let stylised = Self.picture(seed: 5, mix: identity, offset: [128, 128, 128], width: 7, height: 5)
        let photo = Self.picture(seed: 6, mix: identity, offset: [100, 120, 140], width: 7, height: 5)
        let result = withOriginalColors(stylised, content: photo)
        let plane = 35
        for i in 0..<plane {
            func y(_ p: FloatImage) -> Float { 0.299 * p.pixels[i] + 0.587 * p.pixels[plane + i] + 0.114 * p.pixels[2 * plane + i] }
            XCTAssertEqual(y(result), y(stylised), accuracy: 1e-3)
            XCTAssertEqual(result.pixels[i] - y(result), photo.pixels[i] - y(photo), accuracy: 1e-3)
            XCTAssertEqual(result.pixels[2 * plane + i] - y(result), photo.pixels[2 * plane + i] - y(photo), accuracy: 1e-3)
        }
    }
}
