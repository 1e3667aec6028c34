import Pictures

// Between the file's samples (`RasterImage`, integers up to maxValue, interleaved) and the
// planar 0...255 floats the network and the pictures use (`FloatImage`).

extension FloatImage {
    /// From file samples: each sample scaled so that the file's maxValue becomes 255.
    public init(_ raster: RasterImage) {
        let scale = 255 / Float(raster.maxValue)
        let n = raster.width * raster.height, channels = raster.color.channels
        var pixels = [Float](repeating: 0, count: n * channels)
        for i in 0..<n {
            for c in 0..<channels { pixels[c * n + i] = Float(raster.samples[i * channels + c]) * scale }
        }
        self.init(channels: channels, height: raster.height, width: raster.width, pixels: pixels)
    }

    /// To file samples (8-bit by default): rounded to the nearest level, clamped to the range.
    /// One channel is gray, two gray + alpha, three RGB, four RGBA.
    public func raster(maxValue: Int = 255) -> RasterImage {
        let n = width * height
        let scale = Float(maxValue) / 255
        var samples = [UInt16](repeating: 0, count: n * channels)
        for c in 0..<channels {
            for i in 0..<n {
                let v = (pixels[c * n + i] * scale).rounded()
                samples[i * channels + c] = UInt16(min(Float(maxValue), max(0, v.isNaN ? 0 : v)))
            }
        }
        return RasterImage(width: width, height: height, color: ColorModel(rawValue: channels)!, maxValue: maxValue, samples: samples)
    }
}
