// Feature maps and weights drawn so that pictures can be compared: every panel of a row on one
// shared scale, centred on zero (white), negative values blue, positive red, the strongest of
// all the panels full colour. A panel scaled to its own range would make a response of 0.03 look
// as strong as one of 0.58; on a shared scale it looks a twentieth as strong. `key` draws the
// scale itself, with its end values written, to put beside the panels.

public enum DivergingScale {
    static let negative: [Float] = [40, 90, 200], positive: [Float] = [205, 45, 40], zero: [Float] = [255, 255, 255]

    /// The colour of `value` on the scale -limit...limit (values beyond it are clamped).
    public static func colour(_ value: Float, limit: Float) -> [Float] {
        let t = limit > 0 ? max(-1, min(1, value / limit)) : 0
        let end = t < 0 ? negative : positive
        return (0..<3).map { zero[$0] + abs(t) * (end[$0] - zero[$0]) }
    }

    /// The largest magnitude among all `maps`: the scale they share.
    public static func limit(of maps: [[Float]]) -> Float {
        maps.flatMap { $0 }.map(abs).max() ?? 0
    }

    /// Each map (height x width values, row by row) as an RGB picture on the scale
    /// -limit...limit, each pixel shown as `factor` x `factor` pixels, in a thin gray frame (so
    /// a map of zeros still shows where it is).
    public static func pictures(_ maps: [[Float]], height: Int, width: Int, limit: Float, enlargedBy factor: Int = 1) -> [FloatImage] {
        maps.map { values in
            precondition(values.count == height * width, "a map has height x width values")
            var image = FloatImage(channels: 3, height: height, width: width)
            for y in 0..<height {
                for x in 0..<width {
                    let c = colour(values[y * width + x], limit: limit)
                    for channel in 0..<3 { image[channel, y, x] = c[channel] }
                }
            }
            var framed = FloatImage(channels: 3, height: height * factor + 2, width: width * factor + 2, value: 160)
            let enlarged = image.enlarged(by: factor)
            for channel in 0..<3 {
                for y in 0..<enlarged.height {
                    for x in 0..<enlarged.width { framed[channel, y + 1, x + 1] = enlarged[channel, y, x] }
                }
            }
            return framed
        }
    }

    /// The scale as a picture: a ramp from -limit (left) to +limit (right), `width` pixels wide,
    /// with the two end values written under it.
    public static func key(limit: Float, width: Int = 96) -> FloatImage {
        let rampHeight = 10
        var image = FloatImage(channels: 3, height: rampHeight + BitmapFont.glyphHeight + 4, width: width, value: 255)
        for x in 0..<width {
            let c = colour((Float(x) + 0.5) / Float(width) * 2 * limit - limit, limit: limit)
            for y in 0..<rampHeight { for channel in 0..<3 { image[channel, y, x] = c[channel] } }
        }
        let label = formatted(limit)
        image.draw("-" + label, x: 0, y: rampHeight + 3, colour: [40, 40, 40])
        image.draw(label, x: width - BitmapFont.width(of: label), y: rampHeight + 3, colour: [40, 40, 40])
        image.draw("0", x: width / 2 - 2, y: rampHeight + 3, colour: [40, 40, 40])
        return image
    }

    /// A number with two significant decimals, as the key writes it.
    static func formatted(_ value: Float) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
