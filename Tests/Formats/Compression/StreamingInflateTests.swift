import XCTest
import Compression
import SeededRandom

/// The fast inflater keeps only a window of its output and hands the rest on in pieces. These
/// streams make it hand on many times while matches still reach the full 32 KiB back.
final class StreamingInflateTests: XCTestCase {
    /// A stored block of 32768 seeded random bytes, then a fixed-code block of `matches` matches,
    /// each 258 bytes from exactly 32768 back (the farthest deflate allows), then end of block.
    /// The output repeats the random block: byte i equals byte i - 32768.
    func farMatchesStream(matches: Int) -> (stream: [UInt8], output: [UInt8]) {
        var rng = SplitMix64(seed: 12)
        let block = (0..<32768).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var packer = BitPacker()
        packer.bits(0, 1); packer.bits(0, 2)                 // not last, stored
        packer.bytes += [0x00, 0x80, 0xFF, 0x7F] + block      // LEN 32768, NLEN
        packer.bitCount = packer.bytes.count * 8
        packer.bits(1, 1); packer.bits(1, 2)                 // last, fixed codes
        for _ in 0..<matches {
            packer.code(0b1100_0000 + (285 - 280), 8)          // length 258: symbol 285, no extra bits
            packer.code(29, 5)                                 // distance symbol 29: 24577 + 13 extra bits
            packer.bits(32768 - 24577, 13)
        }
        packer.code(0, 7)                                      // end of block (symbol 256)
        var output = block
        while output.count < 32768 + matches * 258 { output.append(output[output.count - 32768]) }
        return (packer.bytes, output)
    }

    func testFarMatchesAcrossManyHandOvers() throws {
        let (stream, expected) = farMatchesStream(matches: 12_000)   // about 3.1 MB of output
        var pieces: [Int] = []
        var streamed: [UInt8] = []
        let consumed = try FastInflate.inflate(stream, limit: expected.count) { piece in
            pieces.append(piece.count)
            streamed.append(contentsOf: piece)
        }
        XCTAssertEqual(consumed, stream.count)
        XCTAssertGreaterThan(pieces.count, 5, "the window was handed on several times")
        XCTAssertEqual(streamed.count, expected.count)
        XCTAssertTrue(streamed == expected, "streamed output differs from the expected repetition")
        // The array form and the simple inflater agree.
        XCTAssertTrue(try FastInflate.inflate(stream, limit: expected.count).output == expected)
        XCTAssertTrue(try SimpleInflate.inflate(stream, limit: expected.count).output == expected)
    }

    func testLimitIsExactWhenStreaming() {
        let (stream, expected) = farMatchesStream(matches: 2_000)
        XCTAssertNoThrow(try FastInflate.inflate(stream, limit: expected.count) { _ in })
        XCTAssertThrowsError(try FastInflate.inflate(stream, limit: expected.count - 1) { _ in }) {
            XCTAssertEqual($0 as? InflateError, .outputLimitExceeded(limit: expected.count - 1))
        }
        XCTAssertThrowsError(try SimpleInflate.inflate(stream, limit: expected.count - 1)) {
            XCTAssertEqual($0 as? InflateError, .outputLimitExceeded(limit: expected.count - 1))
        }
    }

    func testAnErrorFromTheConsumerStopsInflating() {
        struct Stop: Error {}
        let (stream, _) = farMatchesStream(matches: 4_000)
        var calls = 0
        XCTAssertThrowsError(try FastInflate.inflate(stream, limit: 1 << 30) { _ in calls += 1; throw Stop() }) {
            XCTAssertTrue($0 is Stop)
        }
        XCTAssertEqual(calls, 1)
    }

    func testZlibStreamingChecksTheAdler32OfAllPieces() throws {
        var rng = SplitMix64(seed: 5)
        let data = (0..<3_000_000).map { i in i % 1000 < 600 ? UInt8(i % 7) : UInt8(truncatingIfNeeded: rng.next()) }
        let stream = Zlib.compress(data, level: .fast)
        var streamed: [UInt8] = []
        try Zlib.decompress(stream, limit: data.count) { streamed.append(contentsOf: $0) }
        XCTAssertTrue(streamed == data)
        var damaged = stream
        damaged[damaged.count - 1] ^= 1
        XCTAssertThrowsError(try Zlib.decompress(damaged, limit: data.count) { _ in }) {
            guard case .adlerMismatch? = $0 as? InflateError else { return XCTFail("\($0)") }
        }
    }
}
