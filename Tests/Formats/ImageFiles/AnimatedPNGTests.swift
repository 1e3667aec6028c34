import XCTest
import Compression
@testable import ImageFiles

/// The animated PNG writer: a viewer without animation sees frame 0; the chunks come in the
/// specification's order with one unbroken sequence number; and each later frame's fdAT data,
/// put back into an ordinary PNG, decodes to that frame.
final class AnimatedPNGTests: XCTestCase {
    func frame(_ k: Int, width: Int, height: Int) -> RasterImage {
        RasterImage(width: width, height: height, color: .rgb,
                    samples: (0..<(width * height * 3)).map { UInt16(($0 * (k + 3) + k * 17) % 256) })
    }

    func testFramesSurviveAndChunksAreInOrder() throws {
        let (width, height) = (7, 5)
        var writer = AnimatedPNGWriter(width: width, height: height, framesPerSecond: 8)
        let frames = (0..<3).map { frame($0, width: width, height: height) }
        frames.forEach { writer.add($0) }
        let file = writer.encoded()

        // An ordinary PNG reader shows the first frame.
        XCTAssertEqual(try PNGDecoder.decode(file), frames[0])

        let chunks = try PNGDecoder.chunks(file)
        XCTAssertEqual(chunks.map(\.type), ["IHDR", "acTL", "fcTL", "IDAT", "fcTL", "fdAT", "fcTL", "fdAT", "IEND"])
        func bigEndian(_ range: Range<Int>, at offset: Int) -> UInt32 {
            file[range].dropFirst(offset).prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        }
        let control = chunks[1].data
        XCTAssertEqual(bigEndian(control, at: 0), 3, "acTL: three frames")
        XCTAssertEqual(bigEndian(control, at: 4), 0, "acTL: played for ever")
        let sequenced = chunks.filter { $0.type == "fcTL" || $0.type == "fdAT" }
        XCTAssertEqual(sequenced.map { bigEndian($0.data, at: 0) }, [0, 1, 2, 3, 4], "one sequence, no gaps")
        for frameControl in chunks.filter({ $0.type == "fcTL" }) {
            XCTAssertEqual(bigEndian(frameControl.data, at: 4), UInt32(width))
            XCTAssertEqual(bigEndian(frameControl.data, at: 8), UInt32(height))
            XCTAssertEqual(Array(file[frameControl.data].suffix(6)), [0, 1, 0, 8, 0, 0], "1/8 s, replace")
        }

        // Frames 1 and 2: their fdAT data, as an ordinary PNG's IDAT, decodes to the frame.
        let header = Array(file[chunks[0].data])
        for (k, chunk) in chunks.filter({ $0.type == "fdAT" }).enumerated() {
            var single = PNGDecoder.signature
            PNGEncoder.appendChunk("IHDR", header, to: &single)
            PNGEncoder.appendChunk("IDAT", Array(file[chunk.data].dropFirst(4)), to: &single)
            PNGEncoder.appendChunk("IEND", [], to: &single)
            XCTAssertEqual(try PNGDecoder.decode(single), frames[k + 1], "frame \(k + 1)")
        }
    }
}
