import Foundation

// Reading and writing image files by name: the format to read is recognised from the file's
// first bytes, the format to write from the name's extension. Writes are atomic: the bytes go
// to a temporary file beside the target, which is then renamed over it, so an interrupted
// program never leaves a half-written image (docs/DESIGN.md, section 8).

public enum ImageFormat: String, CaseIterable, Sendable {
    case png, ppm, pgm, pam

    /// The format named by a path's extension, if it is one we write.
    public init?(path: String) {
        let ext = (path as NSString).pathExtension.lowercased()
        guard let format = ImageFormat(rawValue: ext) else { return nil }
        self = format
    }
}

public enum ImageFileError: Error, Equatable, CustomStringConvertible, Sendable {
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case tooLarge(path: String, bytes: Int)
    case unknownFormat(String)
    case unsupportedOutputExtension(String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        case .tooLarge(let path, let bytes): return "\(path) is \(bytes) bytes, more than the 1 GiB limit"
        case .unknownFormat(let path): return "\(path): unrecognised image format (PNG, JPEG, PGM, PPM or PAM expected)"
        case .unsupportedOutputExtension(let path):
            return "\(path): output extension must be one of " + ImageFormat.allCases.map { "." + $0.rawValue }.joined(separator: ", ")
        }
    }
}

public enum ImageFile {
    /// The largest file read into memory.
    public static let maxFileBytes = 1 << 30

    /// Reads the whole file, refusing anything over `maxFileBytes`.
    public static func readBytes(_ path: String) throws -> [UInt8] {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ImageFileError.cannotRead(path: path, reason: "no such file")
        }
        if let size = attributes[.size] as? Int, size > maxFileBytes { throw ImageFileError.tooLarge(path: path, bytes: size) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImageFileError.cannotRead(path: path, reason: "not a readable file")
        }
        return [UInt8](data)
    }

    /// Decodes bytes in whichever supported format their first bytes announce.
    public static func decode(_ bytes: [UInt8], name: String = "input") throws -> RasterImage {
        // "PNG" in bytes 1...3 is enough to hand the file to the PNG decoder, which then says
        // precisely what is wrong with a damaged signature.
        if bytes.count >= 4 && bytes[1...3].elementsEqual("PNG".utf8) { return try PNGDecoder.decode(bytes) }
        if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8 { return try JPEGDecoder.decode(bytes) }
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), (UInt8(ascii: "2")...UInt8(ascii: "7")).contains(bytes[1]) {
            return try Netpbm.decode(bytes)
        }
        throw ImageFileError.unknownFormat(name)
    }

    public static func read(_ path: String) throws -> RasterImage {
        try decode(readBytes(path), name: path)
    }

    public static func encode(_ image: RasterImage, as format: ImageFormat) -> [UInt8] {
        switch format {
        case .png: return PNGEncoder.encode(image)
        case .ppm: return Netpbm.encodePPM(image)
        case .pgm: return Netpbm.encodePGM(image)
        case .pam: return Netpbm.encodePAM(image)
        }
    }

    /// Writes `image` in the format its extension names, atomically.
    public static func write(_ image: RasterImage, to path: String) throws {
        guard let format = ImageFormat(path: path) else { throw ImageFileError.unsupportedOutputExtension(path) }
        try writeAtomically(encode(image, as: format), to: path)
    }

    /// Writes to a temporary file in the same folder, then renames it into place.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try Data(bytes).write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw ImageFileError.cannotWrite(path: path, reason: reason)
            }
        } catch let error as ImageFileError {
            throw error
        } catch {
            throw ImageFileError.cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}
