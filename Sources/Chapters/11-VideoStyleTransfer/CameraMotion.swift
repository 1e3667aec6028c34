import Foundation
import Pictures

// A clip whose true flow is known: a camera moving over a still photo. Each frame shows the
// photo through a window that pans, zooms and turns a little from frame to frame; since every
// frame is a known transformation of the photo, so is the motion of every pixel between any two
// frames, to a fraction of a pixel. The flow of HornSchunck.swift is measured against it.

/// A camera moving over a photo: frame k's pixel p (measured from the frame's centre) shows the
/// photo's point  centre_k + scale_k R(k * rotation) p,  with  centre_k = start + k * pan * scale
/// and scale_k = scale / zoom^k.
public struct CameraMotion: Sendable {
    /// The frames' size.
    public var width: Int, height: Int
    /// Frame 0's centre in the photo, in photo pixels.
    public var start: (x: Double, y: Double)
    /// Photo pixels per frame pixel, at frame 0.
    public var scale: Double
    /// How far the window moves per frame, in frame pixels.
    public var pan: (x: Double, y: Double)
    /// How much larger the scene looks each frame (1: no zoom).
    public var zoom: Double
    /// How far the window turns per frame, in degrees.
    public var rotation: Double

    /// A camera over a photo; by default it stands still.
    public init(width: Int, height: Int, start: (x: Double, y: Double), scale: Double, pan: (x: Double, y: Double) = (0, 0),
                zoom: Double = 1, rotation: Double = 0) {
        self.width = width
        self.height = height
        self.start = start
        self.scale = scale
        self.pan = pan
        self.zoom = zoom
        self.rotation = rotation
    }

    /// The photo's point that frame `k`'s pixel (x, y) shows.
    public func photoPoint(frame k: Int, x: Double, y: Double) -> (x: Double, y: Double) {
        let (px, py) = (x - Double(width - 1) / 2, y - Double(height - 1) / 2)
        let (centre, s, c, n) = pose(k)
        return (centre.x + s * (c * px - n * py), centre.y + s * (n * px + c * py))
    }

    /// Frame `k`'s centre in the photo, its scale, and the cosine and sine of its turn.
    func pose(_ k: Int) -> (centre: (x: Double, y: Double), scale: Double, cos: Double, sin: Double) {
        let angle = Double(k) * rotation * Double.pi / 180
        return ((start.x + Double(k) * pan.x * scale, start.y + Double(k) * pan.y * scale), scale / pow(zoom, Double(k)), cos(angle), sin(angle))
    }

    /// Where the photo's point (X, Y) appears in frame `k`: `photoPoint` undone.
    public func framePoint(frame k: Int, photoX: Double, photoY: Double) -> (x: Double, y: Double) {
        let (centre, s, c, n) = pose(k)
        let (dx, dy) = ((photoX - centre.x) / s, (photoY - centre.y) / s)
        return (c * dx + n * dy + Double(width - 1) / 2, -n * dx + c * dy + Double(height - 1) / 2)
    }

    /// Frame `k` of the clip (RGB, 0...255): each pixel the mean of four bilinear samples of the
    /// photo spread over its area, so that no frame is sharper than another.
    public func frame(_ k: Int, of photo: FloatImage) -> FloatImage {
        let picture = photo.rgb()
        var frame = FloatImage(channels: 3, height: height, width: width)
        let plane = width * height
        let offsets = [-0.25, 0.25]
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<3 {
                    var sum: Float = 0
                    for oy in offsets {
                        for ox in offsets {
                            let p = photoPoint(frame: k, x: Double(x) + ox, y: Double(y) + oy)
                            sum += bilinearSample(picture, channel: c, x: Float(p.x), y: Float(p.y))
                        }
                    }
                    frame.pixels[c * plane + y * width + x] = sum / 4
                }
            }
        }
        return frame
    }

    /// The true flow from frame `k` to frame `l`: at each pixel of frame k, where the same point
    /// of the photo lies in frame l, minus where it lies in frame k.
    public func trueFlow(from k: Int, to l: Int) -> FlowField {
        var flow = FlowField(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let p = photoPoint(frame: k, x: Double(x), y: Double(y))
                let q = framePoint(frame: l, photoX: p.x, photoY: p.y)
                flow.u[y * width + x] = Float(q.x - Double(x))
                flow.v[y * width + x] = Float(q.y - Double(y))
            }
        }
        return flow
    }
}
