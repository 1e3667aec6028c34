// The image the rest of the project computes on: planar Float channels in 0...255.
//
// Planar ("channels, then rows, then columns", shape (C, H, W)) is the layout convolution code
// wants: each channel is one contiguous H x W plane. 0...255 is the scale of Caffe's VGG, the
// network the later chapters use. ImageFiles's `RasterImage` is the file's view; this is the
// network's, and the pictures' (ContactSheet, enlargement): drawing needs no file format.

public struct FloatImage: Equatable, Sendable {
    public var channels: Int
    public var height: Int
    public var width: Int
    /// `channels * height * width` values; channel c, row y, column x is at (c * height + y) * width + x.
    public var pixels: [Float]

    public init(channels: Int, height: Int, width: Int, pixels: [Float]) {
        precondition(pixels.count == channels * height * width, "pixel count does not match the shape")
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
    }

    public init(channels: Int, height: Int, width: Int, value: Float = 0) {
        self.init(channels: channels, height: height, width: width,
                  pixels: [Float](repeating: value, count: channels * height * width))
    }

    public subscript(c: Int, y: Int, x: Int) -> Float {
        get { pixels[(c * height + y) * width + x] }
        set { pixels[(c * height + y) * width + x] = newValue }
    }

    /// Three colour channels: gray is replicated, alpha dropped (the network sees no alpha).
    public func rgb() -> FloatImage {
        let n = width * height
        switch channels {
        case 3: return self
        case 4: return FloatImage(channels: 3, height: height, width: width, pixels: Array(pixels[0..<3 * n]))
        default:
            let gray = pixels[0..<n]
            return FloatImage(channels: 3, height: height, width: width, pixels: Array(gray) + Array(gray) + Array(gray))
        }
    }
}
