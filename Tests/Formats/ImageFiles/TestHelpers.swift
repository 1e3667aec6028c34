import Foundation
import ImageFiles
import Compression
import SeededRandom

/// The PngSuite, shipped with the tests as a resource (see PngSuite/README.md).
let pngSuiteDirectory: String = Bundle.module.url(forResource: "PngSuite", withExtension: nil)!.path

/// A test picture: smooth gradients plus (optionally) a little seeded noise, in any layout and depth.
func testPicture(width: Int, height: Int, color: ColorModel, maxValue: Int, seed: UInt64 = 1, noise: Bool = true) -> RasterImage {
    var rng = SplitMix64(seed: seed)
    var samples: [UInt16] = []
    for y in 0..<height {
        for x in 0..<width {
            for c in 0..<color.channels {
                let smooth = Double((x * (c + 1) + y * 3) % (width + height)) / Double(width + height)
                let noise = Double(rng.next() % 9) / 255 * (noise ? 1 : 0)
                samples.append(UInt16(min(1, smooth + noise) * Double(maxValue)))
            }
        }
    }
    return RasterImage(width: width, height: height, color: color, maxValue: maxValue, samples: samples)
}

/// The sample bytes as the reference hashes them: one byte each, or two big-endian for 16-bit.
func sampleBytes(_ image: RasterImage) -> [UInt8] {
    image.maxValue > 255 ? image.samples.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } : image.samples.map { UInt8($0) }
}

/// Builds a PNG chunk by hand: length, type, data, CRC.
func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    let n = UInt32(data.count)
    out += [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
    let body = Array(type.utf8) + data
    out += body
    let crc = CRC32.checksum(body)
    out += [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    return out
}

let pngSignature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

func ihdr(width: Int, height: Int, bitDepth: UInt8 = 8, colorType: UInt8 = 0, interlace: UInt8 = 0) -> [UInt8] {
    func be(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    return chunk("IHDR", be(width) + be(height) + [bitDepth, colorType, 0, 0, interlace])
}

/// JPEG files made with libjpeg-turbo's cjpeg, each with djpeg's decoding beside it
/// (scripts/jpeg-fixtures.py, JPEG/README.md).
let jpegDirectory: String = Bundle.module.url(forResource: "JPEG", withExtension: nil)!.path

func jpegFixture(_ name: String) throws -> [UInt8] {
    try ImageFile.readBytes(jpegDirectory + "/" + name)
}
