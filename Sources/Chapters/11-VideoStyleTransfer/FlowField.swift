import Foundation
import Pictures

// Chapter 11, "Moving pictures": optical flow, the apparent motion of every pixel from one frame
// to the next. Ruder, Dosovitskiy and Brox ("Artistic Style Transfer for Videos", GCPR 2016)
// need it twice: to carry the previous stylised frame over to the new one (warping), and to find
// where that carried-over frame cannot be trusted (ConsistencyCheck.swift).

/// A dense flow field: at each pixel (x, y) of one frame, the displacement (u, v) to where the
/// same point of the scene lies in the other frame, in pixels. A flow "from A to B" has A's
/// shape: `A(x, y)` shows what `B(x + u, y + v)` shows.
public struct FlowField: Equatable, Sendable {
    /// The frame's size, in pixels.
    public var width: Int, height: Int
    /// The horizontal and the vertical displacement, row after row.
    public var u: [Float], v: [Float]

    /// A flow of `width` x `height` pixels, all zero.
    public init(width: Int, height: Int) {
        self.init(width: width, height: height, u: [Float](repeating: 0, count: width * height), v: [Float](repeating: 0, count: width * height))
    }

    /// A flow from its two planes, row after row.
    public init(width: Int, height: Int, u: [Float], v: [Float]) {
        precondition(u.count == width * height && v.count == width * height, "a flow's planes have width x height values")
        self.width = width
        self.height = height
        self.u = u
        self.v = v
    }

    /// Whether the vector at pixel (x, y) points outside the frame: the point it names is not in
    /// the other frame at all.
    public func pointsOutside(x: Int, y: Int) -> Bool {
        let tx = Float(x) + u[y * width + x], ty = Float(y) + v[y * width + x]
        return tx < 0 || ty < 0 || tx > Float(width - 1) || ty > Float(height - 1)
    }

    /// The mean end-point error against `truth`, the average distance between the two flows'
    /// vectors, over the pixels where `where` (one weight per pixel, 0 or 1) is 1, or over all.
    public func endPointError(against truth: FlowField, where mask: [Float]? = nil) -> Double {
        precondition(truth.width == width && truth.height == height, "flows of different shapes")
        var sum = 0.0, count = 0.0
        for i in 0..<u.count where (mask?[i] ?? 1) > 0 {
            let du = Double(u[i] - truth.u[i]), dv = Double(v[i] - truth.v[i])
            sum += (du * du + dv * dv).squareRoot()
            count += 1
        }
        return count > 0 ? sum / count : 0
    }

    /// The flow as a picture (RGB, 0...255), the usual colour code: the hue says the direction,
    /// the saturation the length (white: still; full colour: `maximum` pixels or more; nil: the
    /// longest vector of this flow).
    public func colourCoded(maximum: Float? = nil) -> FloatImage {
        let longest = maximum ?? max(1e-6, zip(u, v).map { ($0 * $0 + $1 * $1).squareRoot() }.max() ?? 1e-6)
        var picture = FloatImage(channels: 3, height: height, width: width)
        let plane = width * height
        for i in 0..<plane {
            let length = min(1, (u[i] * u[i] + v[i] * v[i]).squareRoot() / longest)
            let hue = (atan2(-v[i], -u[i]) / Float.pi + 1) * 3   // 0..<6 around the circle
            let rgb = Self.hueColour(hue)
            for c in 0..<3 { picture.pixels[c * plane + i] = 255 * (1 - length * (1 - rgb[c])) }
        }
        return picture
    }

    /// The key to `colourCoded(maximum:)`: a square whose every pixel shows the colour of a flow
    /// vector from the square's centre to that pixel, the circle's edge `maximum` long (beyond it,
    /// full colour). Read a flow picture by finding its colour here: the direction from the centre
    /// is the direction the pixel moved, the distance from the centre how far.
    public static func colourKey(side: Int, maximum: Float) -> FloatImage {
        let centre = Float(side - 1) / 2
        var key = FlowField(width: side, height: side)
        for y in 0..<side {
            for x in 0..<side {
                key.u[y * side + x] = (Float(x) - centre) / centre * maximum
                key.v[y * side + x] = (Float(y) - centre) / centre * maximum
            }
        }
        return key.colourCoded(maximum: maximum)
    }

    /// A fully saturated colour (each channel 0...1) at `hue` in 0..<6: red, yellow, green, cyan, blue, magenta.
    static func hueColour(_ hue: Float) -> [Float] {
        let sector = Int(hue) % 6, f = hue - Float(Int(hue))
        switch sector {
        case 0: return [1, f, 0]
        case 1: return [1 - f, 1, 0]
        case 2: return [0, 1, f]
        case 3: return [0, 1 - f, 1]
        case 4: return [f, 0, 1]
        default: return [1, 0, 1 - f]
        }
    }
}
