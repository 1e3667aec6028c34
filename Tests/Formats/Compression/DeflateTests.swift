import XCTest
import SeededRandom
import Compression

final class DeflateTests: XCTestCase {
    /// Inputs that stress different parts of the compressor.
    func samples() -> [(String, [UInt8])] {
        var rng = SplitMix64(seed: 7)
        let random = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let text = Array(String(repeating: "the feature maps of a convolutional layer; ", count: 2000).utf8)
        var mixed: [UInt8] = []
        for i in 0..<200_000 { mixed.append(i % 1000 < 500 ? UInt8(i % 7) : UInt8(truncatingIfNeeded: rng.next() % 16)) }
        return [("empty", []), ("one byte", [42]), ("two bytes", [1, 2]), ("short text", Array("abcabcabcabcabc".utf8)),
                ("random", random), ("text", text), ("long run", [UInt8](repeating: 0, count: 300_000)), ("mixed", mixed)]
    }

    func testRoundTripAtEveryLevel() throws {
        for (name, data) in samples() {
            for level in [Deflate.Level.fast, .default, .best] {
                let compressed = Deflate.compress(data, level: level)
                XCTAssertEqual(try FastInflate.inflate(compressed, limit: data.count).output, data, "\(name) \(level)")
                XCTAssertEqual(try SimpleInflate.inflate(compressed, limit: data.count).output, data, "\(name) \(level)")
            }
        }
    }

    func testCompressesWell() {
        let text = Array(String(repeating: "the feature maps of a convolutional layer; ", count: 2000).utf8)
        XCTAssertLessThan(Deflate.compress(text).count, text.count / 50)
        // Incompressible data falls back to stored blocks: barely larger than the input.
        var rng = SplitMix64(seed: 1)
        let random = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        XCTAssertLessThan(Deflate.compress(random).count, random.count + 100)
    }

    func testZlibRoundTrip() throws {
        for (name, data) in samples() {
            XCTAssertEqual(try Zlib.decompress(Zlib.compress(data), limit: data.count), data, name)
        }
    }
}
