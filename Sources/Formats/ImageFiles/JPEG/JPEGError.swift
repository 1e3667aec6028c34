/// What was wrong with a JPEG file, and where.
public enum JPEGError: Error, Equatable, CustomStringConvertible, Sendable {
    case notJPEG
    /// The file ends inside a marker segment, or before the end-of-image marker.
    case truncated(String)
    /// The entropy-coded data of a scan ends before its last block.
    case truncatedScan(scan: Int)
    case badMarker(String, offset: Int)
    case badSegment(marker: String, reason: String)
    case unsupported(String)
    case dimensionsTooLarge(width: Int, height: Int)
    case corruptData(scan: Int, reason: String)
    case missingFrame
    case missingScans

    public var description: String {
        switch self {
        case .notJPEG: return "not a JPEG file: it does not start with the SOI marker FF D8"
        case .truncated(let what): return "file ends early: \(what)"
        case .truncatedScan(let scan): return "file ends early: the compressed data of scan \(scan) stops before its last block"
        case .badMarker(let why, let offset): return "bad marker at byte \(offset): \(why)"
        case .badSegment(let marker, let reason): return "invalid \(marker) segment: \(reason)"
        case .unsupported(let what): return "unsupported JPEG: \(what)"
        case .dimensionsTooLarge(let w, let h):
            return "image \(w)x\(h) exceeds the limit (\(ImageLimits.maxDimension) per side, \(ImageLimits.maxPixels) pixels)"
        case .corruptData(let scan, let reason): return "corrupt compressed data in scan \(scan): \(reason)"
        case .missingFrame: return "no frame header (SOF) before the first scan"
        case .missingScans: return "no scan (SOS) in the file"
        }
    }
}
