import XCTest
import Pictures
import StyleRepresentation
import VGG
@testable import PerceptualControl

/// Masks of flat colours: the region colours, edges snapped, the one-line refusals.
final class RegionMasksTests: XCTestCase {
    /// A mask of `width` x `height` whose pixel colours `colour(y, x)` gives.
    static func mask(_ height: Int, _ width: Int, _ colour: (Int, Int) -> (Float, Float, Float)) -> FloatImage {
        let plane = height * width
        var pixels = [Float](repeating: 0, count: 3 * plane)
        for y in 0..<height {
            for x in 0..<width {
                let (r, g, b) = colour(y, x)
                (pixels[y * width + x], pixels[plane + y * width + x], pixels[2 * plane + y * width + x]) = (r, g, b)
            }
        }
        return FloatImage(channels: 3, height: height, width: width, pixels: pixels)
    }

    /// Left red, right blue, with a one-pixel purple seam between them (an antialiased edge).
    let halves = RegionMasksTests.halvesMask()
    func mask(_ height: Int, _ width: Int, _ colour: (Int, Int) -> (Float, Float, Float)) -> FloatImage { Self.mask(height, width, colour) }
    static func halvesMask() -> FloatImage {
        mask(20, 201) { _, x in x < 100 ? (255, 0, 0) : x == 100 ? (128, 0, 128) : (0, 0, 255) }
    }

    func testRegionColoursAndSnappedEdges() throws {
        let masks = try RegionMasks(contentMask: halves, name: "content.png")
        XCTAssertEqual(Set(masks.colours), [MaskColour(255, 0, 0), MaskColour(0, 0, 255)], "the seam, 0.5% of the mask, is an edge")
        let layout = try masks.layout(of: halves, name: "content.png")
        let red = masks.colours.firstIndex(of: MaskColour(255, 0, 0))!
        XCTAssertEqual(layout.labels[5 * 201 + 3], red)
        XCTAssertEqual(layout.labels[5 * 201 + 150], 1 - red)
        XCTAssertTrue([red, 1 - red].contains(layout.labels[5 * 201 + 100]), "the seam snapped to a region")
        // A style mask drawn the other way round, with slightly off colours (a JPEG's), maps too.
        let style = mask(20, 20) { y, _ in y < 10 ? (3, 2, 250) : (250, 4, 1) }
        let styleLayout = try masks.layout(of: style, name: "style.png")
        XCTAssertEqual(styleLayout.labels[0], 1 - red)
        XCTAssertEqual(styleLayout.labels[399], red)
    }

    func testRefusals() throws {
        let masks = try RegionMasks(contentMask: halves, name: "content.png")
        let green = mask(20, 20) { _, x in x < 10 ? (255, 0, 0) : (0, 200, 0) }
        XCTAssertThrowsError(try masks.layout(of: green, name: "style.png")) { error in
            XCTAssertEqual("\(error)", "style.png: colour #00c800 (50% of the mask) is not a colour of the content mask (#0000ff, #ff0000)")
        }
        let noise = mask(20, 20) { y, x in (Float((x * 13) % 256), Float((y * 7) % 256), Float((x * y) % 256)) }
        XCTAssertThrowsError(try RegionMasks(contentMask: noise, name: "noise.png")) { error in
            XCTAssertTrue("\(error)".hasPrefix("noise.png: "), "\(error)")
        }
        // Blue is in no style mask.
        let picture = try masks.layout(of: halves, name: "content.png")
        let allRed = try masks.layout(of: mask(16, 16) { _, _ in (255, 0, 0) }, name: "style.png")
        XCTAssertEqual(masks.problem(picture: picture, styles: [allRed], architecture: .vgg19, deepestLayer: "relu5_1", height: 256, width: 256),
                       "colour #0000ff of the content mask is in no style mask: give it a region in at least one")
        // A small square (8 x 8 pixels at 256) keeps less than one 16 x 16 cell at relu5_1, but
        // more than one 2 x 2 cell at relu2_1.
        let stripe = try masks.layout(of: mask(64, 64) { y, x in x < 2 && y < 2 ? (0, 0, 255) : (255, 0, 0) }, name: "square.png")
        let both = try masks.layout(of: halves, name: "style.png")
        let problem = masks.problem(picture: stripe, styles: [both], architecture: .vgg19, deepestLayer: "relu5_1", height: 256, width: 256)
        XCTAssertTrue(problem?.hasPrefix("the region of colour #0000ff is too small") == true, "\(problem ?? "none")")
        XCTAssertNil(masks.problem(picture: stripe, styles: [both], architecture: .vgg19, deepestLayer: "relu2_1", height: 256, width: 256))
    }
}
