import Compression

/// What was wrong with a PNG file, and where.
public enum PNGError: Error, Equatable, CustomStringConvertible, Sendable {
    case badSignature
    case truncated(chunk: String?, offset: Int)
    case chunkTooLong(chunk: String, offset: Int)
    case badChunkType(offset: Int)
    case badCRC(chunk: String, offset: Int)
    case firstChunkNotIHDR
    case badHeader(String)
    case dimensionsTooLarge(width: Int, height: Int)
    case unknownCriticalChunk(String)
    case duplicateChunk(String)
    case misplacedChunk(String)
    case badPalette(String)
    case missingPalette
    case badTransparency(String)
    case missingImageData
    case nonConsecutiveImageData
    case missingEnd
    case compressedData(InflateError)
    case imageDataTooShort(expected: Int, actual: Int)
    case compressedDataTooSmall(compressed: Int, needed: Int)
    case badFilterType(Int, row: Int)
    case paletteIndexOutOfRange(Int)

    public var description: String {
        switch self {
        case .badSignature: return "not a PNG file: the 8-byte signature is wrong"
        case .truncated(let chunk, let offset):
            return "file ends early" + (chunk.map { " inside the \($0) chunk" } ?? "") + " at byte \(offset)"
        case .chunkTooLong(let chunk, let offset): return "chunk \(chunk) at byte \(offset) claims more bytes than the file holds"
        case .badChunkType(let offset): return "chunk at byte \(offset) has an invalid type (not four letters)"
        case .badCRC(let chunk, let offset): return "CRC mismatch in \(chunk) chunk at byte \(offset)"
        case .firstChunkNotIHDR: return "the first chunk is not IHDR"
        case .badHeader(let why): return "invalid IHDR: \(why)"
        case .dimensionsTooLarge(let w, let h):
            return "image \(w)x\(h) exceeds the limit (\(ImageLimits.maxDimension) per side, \(ImageLimits.maxPixels) pixels)"
        case .unknownCriticalChunk(let type): return "unknown critical chunk \(type)"
        case .duplicateChunk(let type): return "more than one \(type) chunk"
        case .misplacedChunk(let type): return "\(type) chunk is out of order"
        case .badPalette(let why): return "invalid PLTE: \(why)"
        case .missingPalette: return "palette image without a PLTE chunk"
        case .badTransparency(let why): return "invalid tRNS: \(why)"
        case .missingImageData: return "no IDAT chunk"
        case .nonConsecutiveImageData: return "IDAT chunks are not consecutive"
        case .missingEnd: return "no IEND chunk"
        case .compressedData(let error): return "image data: \(error)"
        case .imageDataTooShort(let expected, let actual): return "image data holds \(actual) bytes, the header implies \(expected)"
        case .compressedDataTooSmall(let compressed, let needed):
            return "\(compressed) bytes of compressed image data cannot hold the \(needed) bytes the header implies (deflate expands at most \(Inflate.maxExpansion) to 1)"
        case .badFilterType(let type, let row): return "unknown filter type \(type) on row \(row)"
        case .paletteIndexOutOfRange(let index): return "palette index \(index) is beyond the palette"
        }
    }
}
