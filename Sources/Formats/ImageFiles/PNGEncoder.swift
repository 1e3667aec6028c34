import Compression

// Writing PNG: IHDR, one or more IDAT chunks holding the zlib-compressed filtered rows, IEND.
// Each row gets the filter that the minimum-sum-of-absolute-differences heuristic picks
// (PNG specification, section 12.8), then the whole is compressed by our own `Deflate`.

public enum PNGEncoder {
    /// The largest IDAT chunk written; decoders join them, so the split is only for tidiness.
    static let idatChunkSize = 1 << 20

    /// Encodes gray, gray + alpha, RGB or RGBA at 8 bits (maxValue <= 255, rescaled to 255) or
    /// 16 bits (anything larger, rescaled to 65535).
    public static func encode(_ image: RasterImage, level: Deflate.Level = .default) -> [UInt8] {
        let (header, compressed) = compressedImage(image, level: level)
        var file = PNGDecoder.signature
        appendChunk("IHDR", header, to: &file)
        var start = 0
        repeat {
            let end = min(start + idatChunkSize, compressed.count)
            appendChunk("IDAT", Array(compressed[start..<end]), to: &file)
            start = end
        } while start < compressed.count
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// The IHDR chunk's data, and the zlib stream of the filtered rows that the IDAT chunks
    /// carry (an animated PNG's later frames carry theirs in fdAT chunks, AnimatedPNG.swift).
    static func compressedImage(_ image: RasterImage, level: Deflate.Level) -> (header: [UInt8], data: [UInt8]) {
        let sixteen = image.maxValue > 255
        let picture = image.rescaled(to: sixteen ? 65535 : 255)
        let colorType: UInt8 = [ColorModel.gray: 0, .grayAlpha: 4, .rgb: 2, .rgba: 6][picture.color]!
        let bytesPerSample = sixteen ? 2 : 1
        let bpp = picture.color.channels * bytesPerSample
        let rowBytes = picture.width * bpp

        // Each row as bytes (16-bit samples big-endian), filtered against the row above: only
        // two unfiltered rows exist at a time, beside the filtered image.
        var filtered = [UInt8](repeating: 0, count: (rowBytes + 1) * picture.height)
        let rows = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, 2 * rowBytes))
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, rowBytes))
        defer { rows.deallocate(); scratch.deallocate() }
        let samplesPerRow = picture.width * picture.color.channels
        filtered.withUnsafeMutableBufferPointer { out in
            for y in 0..<picture.height {
                let row = rows + (y % 2) * rowBytes
                for i in 0..<samplesPerRow {
                    let sample = picture.samples[y * samplesPerRow + i]
                    if sixteen {
                        row[2 * i] = UInt8(sample >> 8)
                        row[2 * i + 1] = UInt8(sample & 0xFF)
                    } else {
                        row[i] = UInt8(sample)
                    }
                }
                let previous = y > 0 ? UnsafePointer(rows + ((y + 1) % 2) * rowBytes) : nil
                let filter = PNGFilters.bestFilter(row: row, previous: previous, count: rowBytes, bpp: bpp, scratch: scratch)
                let destination = out.baseAddress! + y * (rowBytes + 1)
                destination[0] = filter.rawValue
                PNGFilters.filter(filter, row: row, previous: previous, count: rowBytes, bpp: bpp, out: destination + 1)
            }
        }
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(picture.width))
        header.appendBigEndian(UInt32(picture.height))
        header += [sixteen ? 16 : 8, colorType, 0, 0, 0]
        return (header, Zlib.compress(filtered, level: level))
    }

    /// Length, type, data, and the CRC-32 of type and data (section 5.3).
    static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        file.appendBigEndian(UInt32(data.count))
        let typeAndData = Array(type.utf8) + data
        file += typeAndData
        file.appendBigEndian(CRC32.checksum(typeAndData))
    }
}
