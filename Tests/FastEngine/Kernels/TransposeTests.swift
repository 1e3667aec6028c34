import XCTest
import Tensors
import Kernels

/// The blocked, threaded transpose against its plain twin, `ChannelsLastMaps.tensor` (maps of
/// positions by channels read channel by channel), at the widths chapter 8b's terms transpose:
/// VGG's 64 to 512 channels, sides that are not multiples of the 32 x 32 blocks, and back again.
final class TransposeTests: XCTestCase {
    func testAgainstChannelsLastMapsReadChannelByChannel() {
        for (n, (h, w, c)) in [(1, 1, 1), (7, 5, 3), (33, 31, 64), (20, 25, 128), (9, 7, 512), (64, 64, 64)].enumerated() {
            let maps = ChannelsLastMaps(Tensor.random(shape: [c, h, w], seed: UInt64(n)))
            let planar = transposed(maps.data, rows: h * w, columns: c)
            XCTAssertEqual(planar, maps.tensor.data, "\(h)x\(w)x\(c)")
            XCTAssertEqual(transposed(planar, rows: c, columns: h * w), maps.data, "back, \(h)x\(w)x\(c)")
        }
    }
}
