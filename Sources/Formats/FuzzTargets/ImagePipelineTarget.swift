import ImageFiles
import Pictures

/// PNG, Netpbm and JPEG: decode, then put the picture through what a decoded image meets next in
/// the tools (the colour-model conversions, rescaling, the float image the network reads and back,
/// every writer), and read back what we wrote: PNG and PAM keep everything, so they must give the
/// same image again.
enum ImagePipelineTarget {
    enum Format { case png, netpbm, jpeg }

    /// Images up to this many samples go through the whole pipeline; larger ones (a fuzzer can
    /// make a few-megapixel image from a few hundred bytes) only through the cheap steps, so the
    /// fuzzer keeps its speed.
    static let pipelineSamples = 1 << 15

    static func run(_ bytes: [UInt8], format: Format) throws {
        let image: RasterImage
        do {
            switch format {
            case .png: image = try PNGDecoder.decode(bytes)
            case .netpbm: image = try Netpbm.decode(bytes)
            case .jpeg: image = try JPEGDecoder.decode(bytes, parallel: false)
            }
        } catch {
            return   // a refusal: the reader's answer to bytes it cannot read
        }
        try checkShape(image)
        // The tools read through ImageFile.decode, which picks the decoder by the first bytes;
        // for a JPEG it decodes on two threads, in bands of block rows, which must not matter.
        guard try ImageFile.decode(bytes) == image else {
            throw FuzzFinding("ImageFile.decode (two threads for a JPEG) gives another image than the \(format) decoder")
        }
        guard image.samples.count <= pipelineSamples else { return }
        try exercise(image)
    }

    static func checkShape(_ image: RasterImage) throws {
        guard ImageLimits.allows(width: image.width, height: image.height) else {
            throw FuzzFinding("decoded \(image.width)x\(image.height), outside ImageLimits")
        }
        guard image.samples.allSatisfy({ Int($0) <= image.maxValue }) else {
            throw FuzzFinding("a sample exceeds the image's maxValue \(image.maxValue)")
        }
    }

    static func exercise(_ image: RasterImage) throws {
        for model in ColorModel.allCases {
            let converted = image.converted(to: model)
            try checkShape(converted)
        }
        _ = image.rescaled(to: image.isSixteenBit ? 255 : 65535)
        let floats = FloatImage(image)
        let back = floats.raster(maxValue: image.maxValue)
        if image.maxValue == 255 && back != image {
            throw FuzzFinding("8-bit image -> FloatImage -> raster changed the samples")
        }
        // What style-transfer does next: three channels, resized to the working scale (area
        // averaging down, bilinear up), then back to 8-bit samples for the output file.
        let working = floats.rgb().resized(longestSide: 1 + Int(image.width * 7 + image.height * 3) % 64)
        guard working.pixels.allSatisfy({ $0.isFinite && $0 >= -0.01 && $0 <= 255.01 }) else {
            throw FuzzFinding("resizing made a value outside 0...255")
        }
        _ = working.raster()

        // PNG stores 8 or 16 bits; other maxValues are rescaled by the encoder, so only the
        // 8- and 16-bit images must come back unchanged.
        let png = PNGEncoder.encode(image, level: .fast)
        let fromPNG = try PNGDecoder.decode(png)
        if (image.maxValue == 255 || image.maxValue == 65535) && fromPNG != image {
            throw FuzzFinding("an image written as PNG reads back differently")
        }
        let pam = Netpbm.encodePAM(image)
        guard try Netpbm.decode(pam) == image else { throw FuzzFinding("an image written as PAM reads back differently") }
        let ppm = try Netpbm.decode(Netpbm.encodePPM(image))
        guard ppm == image.converted(to: .rgb) else { throw FuzzFinding("an image written as PPM reads back differently") }
        let pgm = try Netpbm.decode(Netpbm.encodePGM(image))
        guard pgm == image.converted(to: .gray) else { throw FuzzFinding("an image written as PGM reads back differently") }
        if image.samples.count <= 4096 {
            let text = try Netpbm.decode(Netpbm.encodeText(image))
            guard text == image.converted(to: image.color.isColor ? .rgb : .gray) else {
                throw FuzzFinding("an image written as text PPM/PGM reads back differently")
            }
        }
    }
}
