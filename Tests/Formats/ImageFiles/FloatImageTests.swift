import XCTest
import ImageFiles
import Pictures

final class FloatImageTests: XCTestCase {
    func testRasterRoundTrip() {
        let raster = testPicture(width: 6, height: 5, color: .rgba, maxValue: 255)
        let image = FloatImage(raster)
        XCTAssertEqual(image.channels, 4)
        XCTAssertEqual(image[2, 1, 3], Float(raster[3, 1, 2]))
        XCTAssertEqual(image.raster(), raster)
        // 16-bit samples land on the same 0...255 scale.
        let sixteen = FloatImage(RasterImage(width: 1, height: 1, color: .gray, maxValue: 65535, samples: [65535]))
        XCTAssertEqual(sixteen.pixels, [255])
    }

    func testRasterClampsAndRounds() {
        let image = FloatImage(channels: 1, height: 1, width: 4, pixels: [-3, 12.5, 254.6, 400])
        XCTAssertEqual(image.raster().samples, [0, 13, 255, 255])
    }

    func testAreaAverageDown() {
        // 4x2 -> 2x1: each output pixel is the mean of a 2x2 block.
        let image = FloatImage(channels: 1, height: 2, width: 4, pixels: [0, 2, 4, 6, 8, 10, 12, 14])
        let small = image.resized(width: 2, height: 1)
        XCTAssertEqual(small.pixels, [5, 9])
        // A non-integer factor keeps the mean of a constant image and of the whole image.
        let ramp = FloatImage(channels: 1, height: 1, width: 9, pixels: (0..<9).map(Float.init))
        let down = ramp.resized(width: 4, height: 1)
        XCTAssertEqual(down.pixels.reduce(0, +) / 4, 4, accuracy: 1e-5)
        XCTAssertEqual(down.pixels[0], (0 + 1 + 0.25 * 2) / 2.25, accuracy: 1e-5)
    }

    func testBilinearUp() {
        let image = FloatImage(channels: 1, height: 1, width: 2, pixels: [0, 100])
        let big = image.resized(width: 4, height: 1)
        // Centres at input positions -0.25, 0.25, 0.75, 1.25 (clamped to the edges).
        XCTAssertEqual(big.pixels, [0, 25, 75, 100])
        let constant = FloatImage(channels: 3, height: 3, width: 5, value: 42)
        XCTAssertTrue(constant.resized(width: 11, height: 2).pixels.allSatisfy { abs($0 - 42) < 1e-4 })
    }

    func testLongestSide() {
        let image = FloatImage(channels: 3, height: 300, width: 400)
        let small = image.resized(longestSide: 100)
        XCTAssertEqual(small.width, 100)
        XCTAssertEqual(small.height, 75)
    }

    func testRGB() {
        let gray = FloatImage(channels: 1, height: 1, width: 2, pixels: [1, 2])
        XCTAssertEqual(gray.rgb().pixels, [1, 2, 1, 2, 1, 2])
    }
}
