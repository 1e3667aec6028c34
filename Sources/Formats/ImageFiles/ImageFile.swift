import Foundation
import AtomicFiles

// Reading and writing image files by name: the format to read is recognised from the file's
// first bytes, the format to write from the name's extension. Writes are atomic: the bytes go
// to a temporary file beside the target, which is then renamed over it, so an interrupted
// program never leaves a half-written image (docs/DESIGN.md, section 8).

/// The pictures the project reads: named once, for every help line and message.
public enum ReadableFormats {
    /// Their names, as help lines and messages list them.
    public static let names = "PNG, JPEG, PPM, PGM or PAM"
    /// The extensions their files carry (a file is recognised by its content, not its name).
    public static let extensions: Set<String> = ["png", "jpg", "jpeg", "ppm", "pgm", "pam"]

    /// Whether `path`'s extension is one of theirs.
    public static func hasReadableExtension(_ path: String) -> Bool {
        extensions.contains((path as NSString).pathExtension.lowercased())
    }
}

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
    case notEnoughMemory(bytes: Int)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        case .tooLarge(let path, let bytes): return "\(path) is \(bytes) bytes, more than the 1 GiB limit"
        case .unknownFormat(let path): return "\(path): unrecognised image format (\(ReadableFormats.names) expected)"
        case .notEnoughMemory(let bytes): return "not enough memory to decode the image (\(bytes / 1_000_000) MB needed)"
        case .unsupportedOutputExtension(let path):
            return "\(path): output extension must be one of " + ImageFormat.allCases.map { "." + $0.rawValue }.joined(separator: ", ")
        }
    }
}

public enum ImageFile {
    /// The largest file read into memory.
    public static let maxFileBytes = 1 << 30

    /// Reads the whole file, refusing anything over `maxFileBytes`. The bytes are read straight
    /// into the array, with no second copy.
    public static func readBytes(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ImageFileError.cannotRead(path: path, reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw ImageFileError.cannotRead(path: path, reason: "not a readable file")
        }
        let size = Int(status.st_size)
        guard size <= maxFileBytes else { throw ImageFileError.tooLarge(path: path, bytes: size) }
        var failure: String? = nil
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while initialized < size {
                let n = Foundation.read(descriptor, buffer.baseAddress! + initialized, size - initialized)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    failure = n == 0 ? "the file shrank while it was read" : String(cString: strerror(errno))
                    return
                }
                initialized += n
            }
        }
        if let failure { throw ImageFileError.cannotRead(path: path, reason: failure) }
        return bytes
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

    /// What went wrong reading `path`, in one line that names the file: the decoders' errors
    /// say where in the bytes, not which file (a program may read several).
    public static func message(for error: Error, reading path: String) -> String {
        let said = "\(error)"
        return said.contains(path) ? said : "\(path): \(said)"
    }

    public static func encode(_ image: RasterImage, as format: ImageFormat) -> [UInt8] {
        Netpbm.collect { write(image, as: format, to: $0) }
    }

    /// Hands the file's bytes to `sink`: Netpbm in pieces, PNG whole.
    public static func write(_ image: RasterImage, as format: ImageFormat, to sink: Netpbm.ByteSink) rethrows {
        switch format {
        case .png: try PNGEncoder.encode(image).withUnsafeBytes { try sink($0) }
        case .ppm: try Netpbm.writePPM(image, to: sink)
        case .pgm: try Netpbm.writePGM(image, to: sink)
        case .pam: try Netpbm.writePAM(image, to: sink)
        }
    }

    /// Writes `image` in the format its extension names, atomically. Netpbm files go to the
    /// disk piece by piece, so no second copy of a large picture is made in memory.
    public static func write(_ image: RasterImage, to path: String) throws {
        guard let format = ImageFormat(path: path) else { throw ImageFileError.unsupportedOutputExtension(path) }
        try writeAtomically(to: path) { try write(image, as: format, to: $0) }
    }

    /// Writes to a temporary file in the same folder, then renames it into place (AtomicFiles).
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        try writeAtomically(to: path) { sink in try bytes.withUnsafeBytes { try sink($0) } }
    }

    /// Writes what `body` hands its sink atomically (AtomicFiles), a failure named as an image
    /// file's.
    public static func writeAtomically(to path: String, _ body: (Netpbm.ByteSink) throws -> Void) throws {
        do {
            try AtomicFiles.writeAtomically(to: path, body)
        } catch let error as AtomicWriteError {
            throw ImageFileError.cannotWrite(path: error.path, reason: error.reason)
        }
    }
}
