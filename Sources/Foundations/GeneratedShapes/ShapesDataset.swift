import SeededRandom
import Foundation
import Tensors

// A small dataset of 28x28 pictures that the project draws itself, so the early chapters can
// learn something real without downloading anything: the same size as MNIST's digits, which the
// article's receptive-field example comes from (Nielsen's book, chapter 6).
//
// Five classes of stroke drawings, each placed, sized, thickened and tilted at random, with a
// little noise: horizontal line, vertical line, cross (an X), circle and corner (an L shape
// in one of four orientations). Every picture comes from a seed, so the dataset is the same on
// every machine and every run.

public enum Shape: Int, CaseIterable, Sendable {
    case horizontalLine, verticalLine, cross, circle, corner

    public var name: String {
        switch self {
        case .horizontalLine: return "horizontal line"
        case .verticalLine: return "vertical line"
        case .cross: return "cross"
        case .circle: return "circle"
        case .corner: return "corner"
        }
    }
}

/// Which way a corner's two arms point from its vertex (image rows grow downwards).
public enum CornerArms: Int, CaseIterable, Sendable {
    case upAndRight, upAndLeft, downAndRight, downAndLeft

    /// The vertical arm's direction: -1 up, +1 down.
    public var vertical: Int { self == .upAndRight || self == .upAndLeft ? -1 : 1 }
    /// The horizontal arm's direction: -1 left, +1 right.
    public var horizontal: Int { self == .upAndRight || self == .downAndRight ? 1 : -1 }

    public var name: String {
        switch self {
        case .upAndRight: return "up and right"
        case .upAndLeft: return "up and left"
        case .downAndRight: return "down and right"
        case .downAndLeft: return "down and left"
        }
    }
}

/// One picture: 28 x 28 intensities in 0...1 (row by row) and its class.
public struct ShapeSample: Sendable {
    public var pixels: [Float]
    public var shape: Shape
    public static let side = 28

    /// The picture as a (1, 28, 28) tensor.
    public var tensor: Tensor { Tensor(shape: [1, ShapeSample.side, ShapeSample.side], data: pixels) }
}

public enum ShapesDataset {
    /// `count` pictures, classes in turn, drawn from `seed`.
    public static func generate(count: Int, seed: UInt64) -> [ShapeSample] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { i in draw(Shape.allCases[i % Shape.allCases.count], using: &rng) }
    }

    /// The usual split: 2000 pictures to learn from and 500 held out to test on (different seeds).
    public static func trainingAndTest() -> (training: [ShapeSample], test: [ShapeSample]) {
        (generate(count: 2000, seed: 1), generate(count: 500, seed: 2))
    }

    /// Draws one shape: its strokes are segments, and a pixel's intensity falls off with its
    /// distance from the nearest stroke (so edges are smooth), plus uniform noise.
    public static func draw(_ shape: Shape, using rng: inout SplitMix64) -> ShapeSample {
        func uniform(_ range: ClosedRange<Float>) -> Float { Float.random(in: range, using: &rng) }
        let centre = (x: uniform(10...18), y: uniform(10...18))
        let size = uniform(6...10)              // half the stroke length
        let thickness = uniform(1.0...2.2)
        let tilt = uniform(-0.2...0.2)          // radians
        var segments: [((Float, Float), (Float, Float))] = []
        func rotated(_ dx: Float, _ dy: Float) -> (Float, Float) {
            let (c, s) = (cos(tilt), sin(tilt))
            return (centre.x + dx * c - dy * s, centre.y + dx * s + dy * c)
        }
        var ring: Float? = nil
        switch shape {
        case .horizontalLine: segments = [(rotated(-size, 0), rotated(size, 0))]
        case .verticalLine: segments = [(rotated(0, -size), rotated(0, size))]
        case .cross: segments = [(rotated(-size, -size), rotated(size, size)), (rotated(-size, size), rotated(size, -size))]
        case .circle: ring = size * 0.8
        case .corner:
            let sx: Float = rng.next() % 2 == 0 ? 1 : -1, sy: Float = rng.next() % 2 == 0 ? 1 : -1
            segments = [(rotated(-size * sx, -size * sy), rotated(-size * sx, size * sy)),
                        (rotated(-size * sx, size * sy), rotated(size * sx, size * sy))]
        }
        var pixels = [Float](repeating: 0, count: ShapeSample.side * ShapeSample.side)
        for y in 0..<ShapeSample.side {
            for x in 0..<ShapeSample.side {
                let p = (Float(x) + 0.5, Float(y) + 0.5)
                var distance = Float.infinity
                for (a, b) in segments { distance = min(distance, distanceToSegment(p, a, b)) }
                if let radius = ring {
                    let r = ((p.0 - centre.x) * (p.0 - centre.x) + (p.1 - centre.y) * (p.1 - centre.y)).squareRoot()
                    distance = abs(r - radius)
                }
                pixels[y * ShapeSample.side + x] = min(1, max(0, ink(atDistance: distance, thickness: thickness) + uniform(-0.08...0.08)))
            }
        }
        return ShapeSample(pixels: pixels, shape: shape)
    }

    /// A stroke's ink at `distance` from its centre line: 1 inside, falling off over one pixel.
    static func ink(atDistance distance: Float, thickness: Float) -> Float {
        min(1, max(0, thickness / 2 + 0.5 - distance))
    }

    /// One L-shaped corner without noise, its vertex where the caller says: two perpendicular
    /// strokes of `armLength` pixels meeting at `vertex` (x, y), pointing the way `arms` says.
    /// For the chapters that need to know where the corner is (the generated dataset's corners
    /// are placed at random).
    public static func drawCorner(_ arms: CornerArms, vertex: (x: Float, y: Float), armLength: Float = 10,
                                  thickness: Float = 1.6) -> ShapeSample {
        let vertical = (vertex.x, vertex.y + armLength * Float(arms.vertical))
        let horizontal = (vertex.x + armLength * Float(arms.horizontal), vertex.y)
        var pixels = [Float](repeating: 0, count: ShapeSample.side * ShapeSample.side)
        for y in 0..<ShapeSample.side {
            for x in 0..<ShapeSample.side {
                let p = (Float(x) + 0.5, Float(y) + 0.5)
                let distance = min(distanceToSegment(p, (vertex.x, vertex.y), vertical),
                                   distanceToSegment(p, (vertex.x, vertex.y), horizontal))
                pixels[y * ShapeSample.side + x] = ink(atDistance: distance, thickness: thickness)
            }
        }
        return ShapeSample(pixels: pixels, shape: .corner)
    }

    static func distanceToSegment(_ p: (Float, Float), _ a: (Float, Float), _ b: (Float, Float)) -> Float {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1)
        let t = max(0, min(1, ((p.0 - a.0) * dx + (p.1 - a.1) * dy) / max(1e-6, dx * dx + dy * dy)))
        let (ex, ey) = (p.0 - a.0 - t * dx, p.1 - a.1 - t * dy)
        return (ex * ex + ey * ey).squareRoot()
    }
}


/// The generator the demos draw their single example pictures from, always the same seed.
public enum SplitMix64Source {
    public static func make(seed: UInt64 = 2024) -> SplitMix64 { SplitMix64(seed: seed) }
}
