// The Netpbm formats (netpbm.sourceforge.net/doc): the simplest way to store a picture, and
// so the easiest to check by eye or with a few lines of another language.
//
//   P2 / P5  PGM, gray, as decimal text / binary
//   P3 / P6  PPM, RGB, as decimal text / binary
//   P7       PAM, any number of channels, with a small keyword header
//
// A PGM/PPM header is the magic, width, height and maxval separated by whitespace, with `#`
// comments to the end of a line; binary data starts after exactly one whitespace byte. Samples
// are one byte when maxval < 256, otherwise two bytes, most significant first.

public enum NetpbmError: Error, Equatable, CustomStringConvertible, Sendable {
    case unknownMagic
    case badHeader(String)
    case dimensionsTooLarge(width: Int, height: Int)
    case truncated(expected: Int, actual: Int)
    case badSample(String)
    case sampleExceedsMaxval(value: Int, maxval: Int)

    public var description: String {
        switch self {
        case .unknownMagic: return "not a PGM, PPM or PAM file (magic must be P2, P3, P5, P6 or P7)"
        case .badHeader(let why): return "invalid Netpbm header: \(why)"
        case .dimensionsTooLarge(let w, let h):
            return "image \(w)x\(h) exceeds the limit (\(ImageLimits.maxDimension) per side, \(ImageLimits.maxPixels) pixels)"
        case .truncated(let expected, let actual): return "pixel data holds \(actual) bytes, the header implies \(expected)"
        case .badSample(let text): return "invalid sample \"\(text)\" in text pixel data"
        case .sampleExceedsMaxval(let v, let m): return "sample \(v) exceeds maxval \(m)"
        }
    }
}

public enum Netpbm {
    // MARK: Reading

    public static func decode(_ bytes: [UInt8]) throws -> RasterImage {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P") else { throw NetpbmError.unknownMagic }
        var cursor = 2
        switch bytes[1] {
        case UInt8(ascii: "2"), UInt8(ascii: "5"):
            return try decodeClassic(bytes, cursor: &cursor, color: .gray, text: bytes[1] == UInt8(ascii: "2"))
        case UInt8(ascii: "3"), UInt8(ascii: "6"):
            return try decodeClassic(bytes, cursor: &cursor, color: .rgb, text: bytes[1] == UInt8(ascii: "3"))
        case UInt8(ascii: "7"):
            return try decodePAM(bytes, cursor: &cursor)
        default:
            throw NetpbmError.unknownMagic
        }
    }

    static func isWhitespace(_ b: UInt8) -> Bool { b == 32 || (9...13).contains(b) }

    /// The next whitespace-separated token, skipping `#` comments.
    static func token(_ bytes: [UInt8], _ cursor: inout Int) -> String? {
        while cursor < bytes.count {
            if isWhitespace(bytes[cursor]) {
                cursor += 1
            } else if bytes[cursor] == UInt8(ascii: "#") {
                while cursor < bytes.count && bytes[cursor] != 10 && bytes[cursor] != 13 { cursor += 1 }
            } else {
                break
            }
        }
        let start = cursor
        while cursor < bytes.count && !isWhitespace(bytes[cursor]) && bytes[cursor] != UInt8(ascii: "#") { cursor += 1 }
        return start == cursor ? nil : String(decoding: bytes[start..<cursor], as: UTF8.self)
    }

    /// A decimal header number in 1...limit.
    static func number(_ bytes: [UInt8], _ cursor: inout Int, _ name: String, limit: Int) throws -> Int {
        guard let text = token(bytes, &cursor), text.count <= 10, let value = Int(text), value >= 1, value <= limit else {
            throw NetpbmError.badHeader("\(name) must be a number from 1 to \(limit)")
        }
        return value
    }

    static func decodeClassic(_ bytes: [UInt8], cursor: inout Int, color: ColorModel, text: Bool) throws -> RasterImage {
        let width = try number(bytes, &cursor, "width", limit: Int(Int32.max))
        let height = try number(bytes, &cursor, "height", limit: Int(Int32.max))
        let maxval = try number(bytes, &cursor, "maxval", limit: 65535)
        guard ImageLimits.allows(width: width, height: height) else {
            throw NetpbmError.dimensionsTooLarge(width: width, height: height)
        }
        if !text {
            // Exactly one whitespace byte separates the header from binary data.
            guard cursor < bytes.count, isWhitespace(bytes[cursor]) else { throw NetpbmError.badHeader("no whitespace after maxval") }
            cursor += 1
        }
        return try readSamples(bytes, cursor: cursor, width: width, height: height, color: color, maxval: maxval, text: text)
    }

    /// PAM (P7): lines of `KEYWORD value` up to `ENDHDR`.
    static func decodePAM(_ bytes: [UInt8], cursor: inout Int) throws -> RasterImage {
        var fields: [String: Int] = [:]
        var tupleType = ""
        while true {
            guard let keyword = token(bytes, &cursor) else { throw NetpbmError.badHeader("no ENDHDR") }
            if keyword == "ENDHDR" { break }
            if keyword == "TUPLTYPE" {
                tupleType = token(bytes, &cursor) ?? ""
                continue
            }
            guard ["WIDTH", "HEIGHT", "DEPTH", "MAXVAL"].contains(keyword) else {
                throw NetpbmError.badHeader("unknown PAM keyword \(keyword)")
            }
            fields[keyword] = try number(bytes, &cursor, keyword, limit: keyword == "MAXVAL" ? 65535 : Int(Int32.max))
        }
        // The header ends with the newline after ENDHDR.
        guard cursor < bytes.count, bytes[cursor] == 10 else { throw NetpbmError.badHeader("no newline after ENDHDR") }
        cursor += 1
        guard let width = fields["WIDTH"], let height = fields["HEIGHT"], let depth = fields["DEPTH"], let maxval = fields["MAXVAL"] else {
            throw NetpbmError.badHeader("WIDTH, HEIGHT, DEPTH and MAXVAL are all required")
        }
        guard let color = ColorModel(rawValue: depth) else { throw NetpbmError.badHeader("DEPTH \(depth) (1 to 4 supported)") }
        _ = tupleType   // GRAYSCALE, GRAYSCALE_ALPHA, RGB, RGB_ALPHA: the depth already says which
        guard ImageLimits.allows(width: width, height: height) else {
            throw NetpbmError.dimensionsTooLarge(width: width, height: height)
        }
        return try readSamples(bytes, cursor: cursor, width: width, height: height, color: color, maxval: maxval, text: false)
    }

    static func readSamples(_ bytes: [UInt8], cursor: Int, width: Int, height: Int, color: ColorModel,
                            maxval: Int, text: Bool) throws -> RasterImage {
        let count = width * height * color.channels
        try ImageLimits.checkMemory(bytes: count * 2)
        var samples = [UInt16]()
        if text {
            var cursor = cursor
            // Each text sample takes at least two bytes; refuse before allocating if they cannot be there.
            guard (bytes.count - cursor + 1) / 2 >= count else { throw NetpbmError.truncated(expected: count * 2, actual: bytes.count - cursor) }
            samples.reserveCapacity(count)
            for _ in 0..<count {
                guard let t = token(bytes, &cursor) else { throw NetpbmError.truncated(expected: count, actual: samples.count) }
                guard t.count <= 5, let v = Int(t), v >= 0 else { throw NetpbmError.badSample(String(t.prefix(20))) }
                guard v <= maxval else { throw NetpbmError.sampleExceedsMaxval(value: v, maxval: maxval) }
                samples.append(UInt16(v))
            }
        } else {
            let bytesPerSample = maxval > 255 ? 2 : 1
            let needed = count * bytesPerSample
            guard bytes.count - cursor >= needed else { throw NetpbmError.truncated(expected: needed, actual: bytes.count - cursor) }
            samples = [UInt16](repeating: 0, count: count)
            for i in 0..<count {
                let v = bytesPerSample == 1 ? Int(bytes[cursor + i]) : Int(bytes[cursor + 2 * i]) << 8 | Int(bytes[cursor + 2 * i + 1])
                guard v <= maxval else { throw NetpbmError.sampleExceedsMaxval(value: v, maxval: maxval) }
                samples[i] = UInt16(v)
            }
        }
        return RasterImage(width: width, height: height, color: color, maxValue: maxval, samples: samples)
    }

    // MARK: Writing

    /// Binary PGM (P5): gray; colour is converted to luma and alpha dropped.
    public static func encodePGM(_ image: RasterImage) -> [UInt8] { collect { writePGM(image, to: $0) } }

    /// Binary PPM (P6): RGB; gray is replicated and alpha dropped.
    public static func encodePPM(_ image: RasterImage) -> [UInt8] { collect { writePPM(image, to: $0) } }

    /// PAM (P7) keeps the channels the image has.
    public static func encodePAM(_ image: RasterImage) -> [UInt8] { collect { writePAM(image, to: $0) } }

    /// The writers hand their bytes on in pieces (`ImageFile.write` sends them straight to the
    /// file), so writing a picture needs little memory beyond the picture.
    public typealias ByteSink = (UnsafeRawBufferPointer) throws -> Void

    public static func writePGM(_ image: RasterImage, to sink: ByteSink) rethrows {
        try write(header: "P5\n\(image.width) \(image.height)\n\(image.maxValue)\n", pixelsOf: image, as: .gray, to: sink)
    }

    public static func writePPM(_ image: RasterImage, to sink: ByteSink) rethrows {
        try write(header: "P6\n\(image.width) \(image.height)\n\(image.maxValue)\n", pixelsOf: image, as: .rgb, to: sink)
    }

    public static func writePAM(_ image: RasterImage, to sink: ByteSink) rethrows {
        let tupleType = [ColorModel.gray: "GRAYSCALE", .grayAlpha: "GRAYSCALE_ALPHA", .rgb: "RGB", .rgba: "RGB_ALPHA"][image.color]!
        let header = "P7\nWIDTH \(image.width)\nHEIGHT \(image.height)\nDEPTH \(image.color.channels)\n"
            + "MAXVAL \(image.maxValue)\nTUPLTYPE \(tupleType)\nENDHDR\n"
        try write(header: header, pixelsOf: image, as: image.color, to: sink)
    }

    static func collect(_ write: ((UnsafeRawBufferPointer) -> Void) -> Void) -> [UInt8] {
        var bytes: [UInt8] = []
        write { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The header, then the pixels in the layout `model` as bytes (two per sample, most
    /// significant first, when maxValue is above 255), converted 16 Ki pixels at a time.
    static func write(header: String, pixelsOf image: RasterImage, as model: ColorModel, to sink: ByteSink) rethrows {
        try Array(header.utf8).withUnsafeBytes { try sink($0) }
        let wide = image.maxValue > 255
        let piece = 1 << 14
        var samples: [UInt16] = []
        samples.reserveCapacity(piece * model.channels)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(piece * model.channels * 2)
        var start = 0
        let pixels = image.width * image.height
        while start < pixels {
            let end = min(start + piece, pixels)
            samples.removeAll(keepingCapacity: true)
            image.appendPixels(start..<end, convertedTo: model, to: &samples)
            bytes.removeAll(keepingCapacity: true)
            for s in samples {
                if wide { bytes.append(UInt8(s >> 8)) }
                bytes.append(UInt8(truncatingIfNeeded: s))
            }
            try bytes.withUnsafeBytes { try sink($0) }
            start = end
        }
    }

    /// Text PPM (P3) or PGM (P2), for reading with eyes; 12 samples per line.
    public static func encodeText(_ image: RasterImage) -> [UInt8] {
        let picture = image.converted(to: image.color.isColor ? .rgb : .gray)
        var text = "\(picture.color == .rgb ? "P3" : "P2")\n\(picture.width) \(picture.height)\n\(picture.maxValue)\n"
        for (i, s) in picture.samples.enumerated() { text += "\(s)" + ((i + 1) % 12 == 0 ? "\n" : " ") }
        return Array((text + "\n").utf8)
    }

}
