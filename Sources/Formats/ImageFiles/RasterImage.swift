import Foundation

// A picture as a file stores it: integer samples, interleaved, row by row.
//
// This is what every decoder produces and every encoder consumes. It keeps what the file holds:
// gray or colour, with or without alpha, 8 or 16 bits (or any Netpbm maxval), so converting
// between formats loses nothing. The computations of later chapters work on `FloatImage`.

/// Which channels each pixel has, in file order.
public enum ColorModel: Int, Sendable, CaseIterable {
    case gray = 1, grayAlpha = 2, rgb = 3, rgba = 4

    public var channels: Int { rawValue }
    public var hasAlpha: Bool { self == .grayAlpha || self == .rgba }
    public var isColor: Bool { self == .rgb || self == .rgba }
}

/// The documented limits on decoded images (docs/DESIGN.md, section 8). A header that asks for more
/// is rejected before anything is allocated.
public enum ImageLimits {
    /// The largest width or height accepted: 32768 pixels.
    public static let maxDimension = 1 << 15
    /// The largest pixel count accepted: 2^26 = 67,108,864 (8192 x 8192).
    public static let maxPixels = 1 << 26

    public static func allows(width: Int, height: Int) -> Bool {
        width >= 1 && height >= 1 && width <= maxDimension && height <= maxDimension && width * height <= maxPixels
    }

    /// Checks that `bytes` can be allocated now, before a decoder that knows its sizes from a
    /// header starts: a machine without the memory (or a process under a memory cap) gets a
    /// one-line error instead of Swift's "failed to allocate" crash halfway through.
    /// (The probe maps the pages without touching them and unmaps them at once; a malloc/free
    /// pair would do, but the optimiser may delete one whose pointer is never used.)
    public static func checkMemory(bytes: Int) throws {
        let probe = mmap(nil, max(1, bytes), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let probe, probe != MAP_FAILED else { throw ImageFileError.notEnoughMemory(bytes: bytes) }
        munmap(probe, max(1, bytes))
    }
}

public struct RasterImage: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var color: ColorModel
    /// The value of full intensity: 255 for 8-bit samples, 65535 for 16-bit ones.
    public var maxValue: Int
    /// `width * height * color.channels` samples, row by row, channels interleaved.
    public var samples: [UInt16]

    public init(width: Int, height: Int, color: ColorModel, maxValue: Int = 255, samples: [UInt16]) {
        precondition(samples.count == width * height * color.channels, "sample count does not match the size")
        self.width = width
        self.height = height
        self.color = color
        self.maxValue = maxValue
        self.samples = samples
    }

    /// Whether the samples need 16 bits.
    public var isSixteenBit: Bool { maxValue > 255 }

    public subscript(x: Int, y: Int, channel: Int) -> UInt16 {
        samples[(y * width + x) * color.channels + channel]
    }

    /// The same picture with samples rescaled to `newMax` (rounded to nearest).
    public func rescaled(to newMax: Int) -> RasterImage {
        if newMax == maxValue { return self }
        let old = maxValue
        let scaled = samples.map { UInt16((Int($0) * newMax + old / 2) / old) }
        return RasterImage(width: width, height: height, color: color, maxValue: newMax, samples: scaled)
    }

    /// The same picture with another channel layout: gray becomes equal R, G and B; colour
    /// becomes gray by the Rec. 601 luma weights; alpha is dropped or added as opaque.
    public func converted(to model: ColorModel) -> RasterImage {
        if model == color { return self }
        var out: [UInt16] = []
        out.reserveCapacity(width * height * model.channels)
        appendPixels(0..<(width * height), convertedTo: model, to: &out)
        return RasterImage(width: width, height: height, color: model, maxValue: maxValue, samples: out)
    }

    /// Appends the pixels numbered `pixels` (row by row), in the layout `model`, to `out`: the
    /// rule of `converted(to:)` for part of the picture, so a writer can convert piece by piece.
    public func appendPixels(_ pixels: Range<Int>, convertedTo model: ColorModel, to out: inout [UInt16]) {
        let from = color.channels
        if model == color {
            out.append(contentsOf: samples[(pixels.lowerBound * from)..<(pixels.upperBound * from)])
            return
        }
        for i in pixels {
            let s = i * from
            let gray: UInt16
            if color.isColor {
                let luma = 0.299 * Double(samples[s]) + 0.587 * Double(samples[s + 1]) + 0.114 * Double(samples[s + 2])
                gray = UInt16(min(Double(maxValue), luma.rounded()))
            } else {
                gray = samples[s]
            }
            if model.isColor {
                for c in 0..<3 { out.append(color.isColor ? samples[s + c] : gray) }
            } else {
                out.append(gray)
            }
            if model.hasAlpha { out.append(color.hasAlpha ? samples[s + from - 1] : UInt16(maxValue)) }
        }
    }
}
