import Compression

// Reading PNG (PNG specification, second edition, ISO/IEC 15948). A PNG file is an 8-byte
// signature followed by chunks: 4-byte length, 4-letter type, data, CRC-32 of type and data.
// IHDR comes first and gives the size and pixel format; PLTE holds a palette; tRNS a
// transparency key or palette alphas; the IDAT chunks, concatenated, are one zlib stream of
// filtered rows; IEND ends the file. A chunk whose type starts with a lower-case letter is
// ancillary and may be skipped; an unknown upper-case (critical) one makes the file unreadable.

/// The fields of IHDR (section 11.2.2).
public struct PNGHeader: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var bitDepth: Int
    /// 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA.
    public var colorType: Int
    public var interlaced: Bool

    /// Samples per pixel in the stored data (a palette index is one sample).
    public var samplesPerPixel: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType]! }
    public var bitsPerPixel: Int { samplesPerPixel * bitDepth }
    /// Bytes per row of a (reduced) image `width` pixels wide, without the filter byte.
    public func rowBytes(width: Int) -> Int { (width * bitsPerPixel + 7) / 8 }
    /// The distance between a byte and the same byte of the pixel to its left, for filtering.
    public var filterStride: Int { max(1, bitsPerPixel / 8) }

    /// The inflated size the image data must have: every pass's rows with their filter bytes.
    public var imageDataSize: Int {
        (interlaced ? InterlacePass.adam7 : InterlacePass.whole).reduce(0) { total, pass in
            let (w, h) = pass.size(width: width, height: height)
            return w == 0 || h == 0 ? total : total + h * (1 + rowBytes(width: w))
        }
    }
}

/// One chunk's type and where its data lies in the file.
struct PNGChunk {
    var type: String
    var offset: Int
    var data: Range<Int>
}

public enum PNGDecoder {
    static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

    /// Splits the file into chunks, checking each length against the bytes present and each CRC.
    static func chunks(_ bytes: [UInt8]) throws -> [PNGChunk] {
        guard bytes.count >= 8, Array(bytes[0..<8]) == signature else { throw PNGError.badSignature }
        var chunks: [PNGChunk] = []
        var p = 8
        while p < bytes.count {
            guard p + 8 <= bytes.count else { throw PNGError.truncated(chunk: nil, offset: p) }
            let length = Int(bytes.bigEndianUInt32(at: p))
            let typeBytes = bytes[(p + 4)..<(p + 8)]
            guard typeBytes.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) }) else {
                throw PNGError.badChunkType(offset: p)
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard length <= Int(Int32.max) else { throw PNGError.chunkTooLong(chunk: type, offset: p) }
            guard p + 12 + length <= bytes.count else {
                throw length > bytes.count ? PNGError.chunkTooLong(chunk: type, offset: p) : PNGError.truncated(chunk: type, offset: p)
            }
            let stored = bytes.bigEndianUInt32(at: p + 8 + length)
            guard CRC32.checksum(bytes, (p + 4)..<(p + 8 + length)) == stored else { throw PNGError.badCRC(chunk: type, offset: p) }
            chunks.append(PNGChunk(type: type, offset: p, data: (p + 8)..<(p + 8 + length)))
            p += 12 + length
            if type == "IEND" { break }
        }
        return chunks
    }

    static func parseHeader(_ d: ArraySlice<UInt8>) throws -> PNGHeader {
        guard d.count == 13 else { throw PNGError.badHeader("length \(d.count), expected 13") }
        let b = Array(d)
        let width = Int(b.bigEndianUInt32(at: 0)), height = Int(b.bigEndianUInt32(at: 4))
        let header = PNGHeader(width: width, height: height, bitDepth: Int(b[8]), colorType: Int(b[9]), interlaced: b[12] == 1)
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw PNGError.badHeader("width and height must be 1 to 2^31-1, got \(width)x\(height)")
        }
        let allowedDepths: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let depths = allowedDepths[header.colorType] else { throw PNGError.badHeader("colour type \(header.colorType)") }
        guard depths.contains(header.bitDepth) else {
            throw PNGError.badHeader("bit depth \(header.bitDepth) with colour type \(header.colorType)")
        }
        guard b[10] == 0 else { throw PNGError.badHeader("compression method \(b[10])") }
        guard b[11] == 0 else { throw PNGError.badHeader("filter method \(b[11])") }
        guard b[12] <= 1 else { throw PNGError.badHeader("interlace method \(b[12])") }
        guard ImageLimits.allows(width: width, height: height) else {
            throw PNGError.dimensionsTooLarge(width: width, height: height)
        }
        return header
    }

    /// Decodes a PNG file. Samples below 8 bits are scaled to 8 (v * 255 / (2^depth - 1)),
    /// palettes are expanded to RGB (RGBA when tRNS gives alphas), a tRNS colour key on a gray
    /// or RGB image becomes an alpha channel, and 16-bit images stay 16-bit.
    public static func decode(_ bytes: [UInt8]) throws -> RasterImage {
        let chunks = try chunks(bytes)
        guard let first = chunks.first, first.type == "IHDR" else {
            throw chunks.isEmpty ? PNGError.truncated(chunk: nil, offset: 8) : PNGError.firstChunkNotIHDR
        }
        let header = try parseHeader(bytes[first.data])

        var palette: [UInt8]? = nil
        var transparency: [UInt8]? = nil
        var imageData: [UInt8] = []
        var idatState = 0   // 0 before IDAT, 1 inside the IDAT run, 2 after it
        var sawEnd = false
        for chunk in chunks.dropFirst() {
            let data = bytes[chunk.data]
            if chunk.type != "IDAT" && idatState == 1 { idatState = 2 }
            switch chunk.type {
            case "IHDR":
                throw PNGError.duplicateChunk("IHDR")
            case "PLTE":
                guard palette == nil else { throw PNGError.duplicateChunk("PLTE") }
                guard idatState == 0, transparency == nil else { throw PNGError.misplacedChunk("PLTE") }
                guard header.colorType != 0 && header.colorType != 4 else { throw PNGError.badPalette("not allowed for gray images") }
                guard data.count % 3 == 0, data.count >= 3, data.count / 3 <= 256 else {
                    throw PNGError.badPalette("length \(data.count) is not 3 to 768 and a multiple of 3")
                }
                palette = Array(data)
            case "tRNS":
                guard transparency == nil else { throw PNGError.duplicateChunk("tRNS") }
                guard idatState == 0 else { throw PNGError.misplacedChunk("tRNS") }
                switch header.colorType {
                case 0: guard data.count == 2 else { throw PNGError.badTransparency("gray key must be 2 bytes") }
                case 2: guard data.count == 6 else { throw PNGError.badTransparency("RGB key must be 6 bytes") }
                case 3:
                    guard let palette else { throw PNGError.misplacedChunk("tRNS") }
                    guard data.count <= palette.count / 3 else { throw PNGError.badTransparency("more alphas than palette entries") }
                default: continue   // not allowed with an alpha channel; ignored, as libpng does
                }
                transparency = Array(data)
            case "IDAT":
                guard idatState != 2 else { throw PNGError.nonConsecutiveImageData }
                idatState = 1
                imageData += data
            case "IEND":
                sawEnd = true
            default:
                // Bit 5 of the first letter clear (upper case) marks a critical chunk.
                if chunk.type.utf8.first! & 0x20 == 0 { throw PNGError.unknownCriticalChunk(chunk.type) }
            }
        }
        guard idatState != 0 else { throw PNGError.missingImageData }
        guard sawEnd else { throw PNGError.missingEnd }
        if header.colorType == 3 && palette == nil { throw PNGError.missingPalette }

        // Data that cannot fill the image (Inflate.maxExpansion) is refused before the image's
        // memory is set aside.
        let expected = header.imageDataSize
        guard expected / Inflate.maxExpansion <= imageData.count else {
            throw PNGError.compressedDataTooSmall(compressed: imageData.count, needed: expected)
        }
        try ImageLimits.checkMemory(bytes: header.width * header.height * header.samplesPerPixel * 2)
        // The rows are unfiltered as the inflater produces them (PNGScanlines), so the inflated
        // data is never held whole: memory stays near the decoded image's size.
        var scanlines = PNGScanlines(header: header)
        do {
            try Zlib.decompress(imageData, limit: expected) { try scanlines.take($0) }
        } catch let error as InflateError {
            throw PNGError.compressedData(error)
        }
        guard scanlines.isComplete else { throw PNGError.imageDataTooShort(expected: expected, actual: scanlines.received) }
        return try expand(scanlines.samples, header: header, palette: palette, transparency: transparency)
    }

    /// Reads `count` samples of `bitDepth` bits from a row: sub-byte samples are packed from the
    /// most significant bit, 16-bit samples are big-endian (section 7.2).
    @inline(__always)
    static func unpackRow(_ row: UnsafePointer<UInt8>, count: Int, bitDepth: Int, _ store: (Int, UInt16) -> Void) {
        switch bitDepth {
        case 8:
            for i in 0..<count { store(i, UInt16(row[i])) }
        case 16:
            for i in 0..<count { store(i, UInt16(row[2 * i]) << 8 | UInt16(row[2 * i + 1])) }
        default:
            let perByte = 8 / bitDepth
            let mask = (1 << bitDepth) - 1
            for i in 0..<count {
                let shift = 8 - bitDepth * (i % perByte + 1)
                store(i, UInt16((Int(row[i / perByte]) >> shift) & mask))
            }
        }
    }

    /// Turns stored samples into the output's channels (see `decode`).
    static func expand(_ raw: [UInt16], header: PNGHeader, palette: [UInt8]?, transparency: [UInt8]?) throws -> RasterImage {
        let n = header.width * header.height
        let depth = header.bitDepth
        let maxValue = depth == 16 ? 65535 : 255
        let sampleMax = (1 << depth) - 1
        @inline(__always) func scale(_ v: UInt16) -> UInt16 {
            depth >= 8 ? v : UInt16((Int(v) * 255 + sampleMax / 2) / sampleMax)
        }
        switch header.colorType {
        case 3:
            let palette = palette!
            let entries = palette.count / 3
            let alphas = transparency ?? []
            let model: ColorModel = transparency == nil ? .rgb : .rgba
            var out = [UInt16](repeating: 0, count: n * model.channels)
            for i in 0..<n {
                let index = Int(raw[i])
                guard index < entries else { throw PNGError.paletteIndexOutOfRange(index) }
                for c in 0..<3 { out[i * model.channels + c] = UInt16(palette[index * 3 + c]) }
                if model == .rgba { out[i * 4 + 3] = index < alphas.count ? UInt16(alphas[index]) : 255 }
            }
            return RasterImage(width: header.width, height: header.height, color: model, maxValue: 255, samples: out)
        case 0, 2:
            let channels = header.colorType == 0 ? 1 : 3
            guard let key = transparency else {
                let model: ColorModel = channels == 1 ? .gray : .rgb
                return RasterImage(width: header.width, height: header.height, color: model, maxValue: maxValue,
                                   samples: depth >= 8 ? raw : raw.map(scale))
            }
            // A colour key: pixels exactly equal to it (compared before scaling) are transparent.
            let keyValues = (0..<channels).map { UInt16(key[2 * $0]) << 8 | UInt16(key[2 * $0 + 1]) }
            let model: ColorModel = channels == 1 ? .grayAlpha : .rgba
            var out = [UInt16](repeating: 0, count: n * (channels + 1))
            for i in 0..<n {
                var matches = true
                for c in 0..<channels {
                    let v = raw[i * channels + c]
                    if v != keyValues[c] { matches = false }
                    out[i * (channels + 1) + c] = scale(v)
                }
                out[i * (channels + 1) + channels] = matches ? 0 : UInt16(maxValue)
            }
            return RasterImage(width: header.width, height: header.height, color: model, maxValue: maxValue, samples: out)
        default:
            let model: ColorModel = header.colorType == 4 ? .grayAlpha : .rgba
            return RasterImage(width: header.width, height: header.height, color: model, maxValue: maxValue, samples: raw)
        }
    }
}
