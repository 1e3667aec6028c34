import Tensors
import VGG

// The picture the loss judges is one a file can hold: every pixel between black and white,
// 0...255 before the mean is subtracted. The paper states the problem without that limit, and an
// optimiser that moves the pixels freely uses it: it reaches a painting's statistics partly with
// values below black or above white, and the writer then clips them, so the picture on disk has
// other Gram matrices, and a higher loss, than the one the run descended to. Descending *inside*
// the box is a constrained problem, minimise L(x) subject to lower <= x <= upper, value by value.
// Its simplest tool is the projection P, which clamps each value into its interval: the nearest
// point of the box. Gradient descent and Adam become projected methods by applying P after each
// step; L-BFGS needs a little more (LBFGS.swift, "Inside a box").

/// Bounds on every value of a vector: value i lies in `lower[i / runLength]...upper[i /
/// runLength]`. A picture's box has one interval per colour channel (a run is one channel's plane
/// of H x W values); a test's box may give every value its own interval (runs of 1).
public struct Box: Sendable, Equatable {
    /// The lower bound of each run of values.
    public let lower: [Float]
    /// The upper bound of each run of values.
    public let upper: [Float]
    /// How many consecutive values share a pair of bounds.
    public let runLength: Int

    /// A box with bounds `lower[k]...upper[k]` for each run of `runLength` values.
    public init(lower: [Float], upper: [Float], runLength: Int = 1) {
        precondition(lower.count == upper.count && runLength >= 1, "one lower and one upper bound per run")
        precondition(zip(lower, upper).allSatisfy { $0 <= $1 }, "each lower bound at most its upper bound")
        self.lower = lower
        self.upper = upper
        self.runLength = runLength
    }

    /// The box of a picture as `preprocessing` prepares it for the network, (3, height, width):
    /// each channel between the values black (0) and white (255) become. For Caffe's preprocessing,
    /// blue lies in -103.939...151.061, green in -116.779...138.221, red in -123.68...131.32.
    public static func pixels(_ preprocessing: Preprocessing, height: Int, width: Int) -> Box {
        let black = preprocessing.apply(Tensor(shape: [3, 1, 1], data: [0, 0, 0]))
        let white = preprocessing.apply(Tensor(shape: [3, 1, 1], data: [255, 255, 255]))
        return Box(lower: black.data, upper: white.data, runLength: height * width)
    }

    /// How many values the box bounds.
    public var count: Int { lower.count * runLength }

    /// The projection: each value clamped into its interval, the nearest point of the box.
    public func project(_ x: inout [Float]) {
        precondition(x.count == count, "a vector of \(x.count) values in a box of \(count)")
        for k in lower.indices {
            for i in k * runLength..<(k + 1) * runLength { x[i] = min(upper[k], max(lower[k], x[i])) }
        }
    }

    /// Whether every value lies within its bounds.
    public func contains(_ x: [Float]) -> Bool {
        x.count == count && x.indices.allSatisfy { x[$0] >= lower[$0 / runLength] && x[$0] <= upper[$0 / runLength] }
    }

    /// Sets to zero the entries of `v` at the values that are *held* by the box at `x`: those on a
    /// bound whose gradient `g` points out of the box (on the lower bound with g > 0, so that
    /// descending would push below it; on the upper bound with g < 0). Every other value is free.
    /// Applied to the gradient it gives the projected gradient at a point on the boundary.
    public func zeroHeld(_ v: inout [Float], at x: [Float], gradient g: [Float]) {
        precondition(v.count == count && x.count == count && g.count == count, "vectors of different lengths")
        for k in lower.indices {
            for i in k * runLength..<(k + 1) * runLength where Box.isHeld(x[i], g[i], lower: lower[k], upper: upper[k]) { v[i] = 0 }
        }
    }

    /// A value on its lower bound with the gradient pushing down, or on its upper bound with it pushing up.
    @inline(__always) public static func isHeld(_ x: Float, _ g: Float, lower: Float, upper: Float) -> Bool {
        (x <= lower && g > 0) || (x >= upper && g < 0)
    }
}
