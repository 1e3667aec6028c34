import Compression
import ImageFiles
import Pictures

// What the PNG notebook (Notebooks/A-png.md) shows: what each filter leaves for deflate to
// compress, and what a viewer can draw after each Adam7 pass.

enum PNGIllustrations {
    /// The bytes one filter leaves for an 8-bit gray image, shown as a picture (residual 0 is
    /// mid-gray), with the size deflate makes of them.
    static func filterResidual(_ image: RasterImage, filter: PNGFilter) -> (picture: FloatImage, compressedBytes: Int) {
        let gray = image.converted(to: .gray).rescaled(to: 255)
        let rows = gray.samples.map { UInt8($0) }
        let residual = filter.filtered(rows, rowBytes: gray.width, bpp: 1)
        var stream: [UInt8] = []
        for y in 0..<gray.height { stream += [filter.rawValue] + residual[(y * gray.width)..<((y + 1) * gray.width)] }
        let picture = FloatImage(channels: 1, height: gray.height, width: gray.width,
                                 pixels: residual.map { Float(Int(Int8(bitPattern: $0)) + 128) })
        return (picture, Zlib.compress(stream).count)
    }

    /// After each of the seven passes, the picture a viewer can draw: each pass halves the
    /// blocks in one direction (8x8, 4x8, 4x4, 2x4, 2x2, 1x2, 1x1 pixels), and every pixel of a
    /// block shows the block's top-left pixel, which has already arrived.
    static func adam7Progression(_ image: FloatImage) -> [FloatImage] {
        let blocks = [(8, 8), (4, 8), (4, 4), (2, 4), (2, 2), (1, 2), (1, 1)]
        return blocks.map { blockWidth, blockHeight in
            var frame = image
            for c in 0..<image.channels {
                for y in 0..<image.height {
                    for x in 0..<image.width {
                        frame[c, y, x] = image[c, y - y % blockHeight, x - x % blockWidth]
                    }
                }
            }
            return frame
        }
    }
}
