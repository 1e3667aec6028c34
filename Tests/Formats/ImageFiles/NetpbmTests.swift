import XCTest
import SeededRandom
import ImageFiles
import Pictures

final class NetpbmTests: XCTestCase {
    func testBinaryRoundTrips() throws {
        for maxValue in [255, 65535, 1023, 1] {
            let gray = testPicture(width: 5, height: 4, color: .gray, maxValue: maxValue)
            XCTAssertEqual(try Netpbm.decode(Netpbm.encodePGM(gray)), gray)
            let rgb = testPicture(width: 5, height: 4, color: .rgb, maxValue: maxValue)
            XCTAssertEqual(try Netpbm.decode(Netpbm.encodePPM(rgb)), rgb)
            for color in ColorModel.allCases {
                let image = testPicture(width: 3, height: 6, color: color, maxValue: maxValue)
                XCTAssertEqual(try Netpbm.decode(Netpbm.encodePAM(image)), image, "\(color) \(maxValue)")
            }
        }
    }

    func testTextFormats() throws {
        let p3 = Array("P3\n# a comment\n2 1\n255\n255 0 0  0 255 7\n".utf8)
        let image = try Netpbm.decode(p3)
        XCTAssertEqual(image.color, .rgb)
        XCTAssertEqual(image.samples, [255, 0, 0, 0, 255, 7])
        let p2 = Array("P2 3 1 65535 0 1000 65535".utf8)
        XCTAssertEqual(try Netpbm.decode(p2).samples, [0, 1000, 65535])
        let rgb = testPicture(width: 4, height: 3, color: .rgb, maxValue: 255)
        XCTAssertEqual(try Netpbm.decode(Netpbm.encodeText(rgb)), rgb)
    }

    func testPAMHeader() throws {
        let pam = Array("P7\nWIDTH 2\nHEIGHT 1\nDEPTH 2\nMAXVAL 255\nTUPLTYPE GRAYSCALE_ALPHA\nENDHDR\n".utf8) + [10, 20, 30, 40]
        let image = try Netpbm.decode(pam)
        XCTAssertEqual(image.color, .grayAlpha)
        XCTAssertEqual(image.samples, [10, 20, 30, 40])
    }

    func testErrors() {
        func expect(_ text: String, _ tail: [UInt8] = [], _ error: NetpbmError, line: UInt = #line) {
            XCTAssertThrowsError(try Netpbm.decode(Array(text.utf8) + tail), line: line) {
                XCTAssertEqual($0 as? NetpbmError, error, line: line)
            }
        }
        expect("P9 1 1 255\n", [0], .unknownMagic)
        expect("P5 2 2 255\n", [1, 2, 3], .truncated(expected: 4, actual: 3))
        expect("P5 1 1 100\n", [200], .sampleExceedsMaxval(value: 200, maxval: 100))
        expect("P5 0 1 255\n", [], .badHeader("width must be a number from 1 to 2147483647"))
        expect("P5 1 1 70000\n", [0], .badHeader("maxval must be a number from 1 to 65535"))
        expect("P6 40000 40000 255\n", [], .dimensionsTooLarge(width: 40000, height: 40000))
        expect("P3 1 1 255 1 2 x", [], .badSample("x"))
        expect("P2 10000 100 255 1 2", [], .truncated(expected: 2_000_000, actual: 4))
        expect("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 5\nMAXVAL 255\nENDHDR\n", [0, 0, 0, 0, 0], .badHeader("DEPTH 5 (1 to 4 supported)"))
        expect("P7\nWIDTH 1\nHEIGHT 1\n", [], .badHeader("no ENDHDR"))
    }
}
