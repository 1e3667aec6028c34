import Pictures

// The optical flow of Horn and Schunck ("Determining Optical Flow", 1981), coarse to fine with
// warping. Two assumptions make it:
//
//  - brightness constancy: a point keeps its brightness as it moves, I2(x + u, y + v) = I1(x, y).
//    Linearised around a guess (u0, v0) with I2 warped by the guess, it is one equation per pixel,
//        Ix (u - u0) + Iy (v - v0) + It = 0,
//    with Ix, Iy the brightness's derivatives and It = I2warped - I1 the difference left;
//  - smoothness: neighbouring pixels move alike. One equation cannot fix two unknowns (the
//    "aperture problem": along an edge only the motion across it shows), so the flow minimises
//        sum of (Ix u + Iy v + b)^2 + alpha^2 (|grad u|^2 + |grad v|^2),     b = It - Ix u0 - Iy v0,
//    whose minimum satisfies, at each pixel, with ubar and vbar the means of the four neighbours,
//        u = ubar - Ix (Ix ubar + Iy vbar + b) / (alpha^2 + Ix^2 + Iy^2),  and the same for v with Iy.
//    Jacobi sweeps apply that update to every pixel at once, over and over (`HornSchunckSolver`).
//
// Why this method: it is two equations a reader can check, it is a variational method as
// DeepFlow (the flow Ruder et al. used) is, and a camera's motion is as smooth as its quadratic
// smoothness assumes. Its weakness is the same quadratic: it blurs the flow across motion
// boundaries, which is where the consistency check (ConsistencyCheck.swift) marks the flow
// unreliable anyway. Each sweep is a stencil over the pixels, so the engine's twin only has to
// share the rows out over the cores (FastJacobiSweeps.swift).

/// How the Jacobi sweeps are computed: here, plainly; the engine's twin on threads.
public protocol HornSchunckSolver {
    /// `sweeps` Jacobi sweeps of the Horn-Schunck update on one level, starting from (u, v):
    /// with `ix`, `iy` the brightness derivatives and `b` = It - Ix u0 - Iy v0 at each pixel.
    func solve(u: inout [Float], v: inout [Float], ix: [Float], iy: [Float], b: [Float], width: Int, height: Int,
               alphaSquared: Float, sweeps: Int)
}

/// The sweeps in plain Swift, one pixel after another.
public struct JacobiSweeps: HornSchunckSolver {
    /// The plain sweeps.
    public init() {}

    /// Sweeps pixel after pixel, row after row.
    public func solve(u: inout [Float], v: inout [Float], ix: [Float], iy: [Float], b: [Float], width: Int, height: Int,
                      alphaSquared: Float, sweeps: Int) {
        var nextU = u, nextV = v
        for _ in 0..<sweeps {
            for y in 0..<height {
                let up = max(y - 1, 0) * width, down = min(y + 1, height - 1) * width, row = y * width
                for x in 0..<width {
                    let left = max(x - 1, 0), right = min(x + 1, width - 1), i = row + x
                    // The means of the four neighbours (an edge pixel repeats itself).
                    let uBar = ((u[row + left] + u[row + right]) + (u[up + x] + u[down + x])) * 0.25
                    let vBar = ((v[row + left] + v[row + right]) + (v[up + x] + v[down + x])) * 0.25
                    let t = (ix[i] * uBar + iy[i] * vBar + b[i]) / (alphaSquared + ix[i] * ix[i] + iy[i] * iy[i])
                    nextU[i] = uBar - ix[i] * t
                    nextV[i] = vBar - iy[i] * t
                }
            }
            swap(&u, &nextU)
            swap(&v, &nextV)
        }
    }
}

/// Dense optical flow between two frames by Horn and Schunck, coarse to fine with warping.
public struct HornSchunckFlow {
    /// alpha, how strongly neighbours must move alike, against brightness in 0...1.
    public var smoothness: Float = 0.04
    /// Pyramid levels at most (fewer when the frame is small: the coarsest keeps 16 pixels a side).
    public var levels = 6
    /// How often each level warps the second frame by the flow so far and linearises again.
    public var warps = 4
    /// Jacobi sweeps after each warp.
    public var sweeps = 100
    /// Who computes the sweeps.
    public var solver: any HornSchunckSolver

    /// The estimator with its default settings, its sweeps computed by `solver`.
    public init(solver: any HornSchunckSolver = JacobiSweeps()) {
        self.solver = solver
    }

    /// The flow from `first` to `second` (RGB or grey, 0...255, one shape): at each pixel of
    /// `first`, where its content lies in `second`.
    public func flow(from first: FloatImage, to second: FloatImage) -> FlowField {
        precondition(first.width == second.width && first.height == second.height, "frames of one shape")
        let firsts = pyramid(binomialBlur(brightness(first)), levels: levels)
        let seconds = pyramid(binomialBlur(brightness(second)), levels: levels)
        var flow = FlowField(width: firsts.last!.width, height: firsts.last!.height)
        for level in stride(from: firsts.count - 1, through: 0, by: -1) {
            let (one, two) = (firsts[level], seconds[level])
            if flow.width != one.width || flow.height != one.height { flow = enlarged(flow, width: one.width, height: one.height) }
            for _ in 0..<warps { refine(&flow, first: one, second: two) }
        }
        return flow
    }

    /// One warp: the second frame moved by the flow so far, the equations linearised there, and
    /// the sweeps.
    public func refine(_ flow: inout FlowField, first: FloatImage, second: FloatImage) {
        let (width, height) = (first.width, first.height)
        let moved = warp(second, by: flow)
        var (ix, iy) = brightnessDerivatives(first, moved)
        var b = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                // A point the flow carries out of the second frame has nothing there to match:
                // its brightness equation is dropped, and smoothness alone sets its flow.
                if flow.pointsOutside(x: x, y: y) {
                    (ix[i], iy[i]) = (0, 0)
                    continue
                }
                b[i] = (moved.pixels[i] - first.pixels[i]) - ix[i] * flow.u[i] - iy[i] * flow.v[i]
            }
        }
        solver.solve(u: &flow.u, v: &flow.v, ix: ix, iy: iy, b: b, width: width, height: height,
                     alphaSquared: smoothness * smoothness, sweeps: sweeps)
        // Sun, Roth and Black ("Secrets of Optical Flow Estimation", 2010): a median filter
        // after each warp removes the isolated wrong vectors the linearisation leaves.
        flow.u = median3x3(flow.u, width: width, height: height)
        flow.v = median3x3(flow.v, width: width, height: height)
    }
}

/// Ix and Iy: central differences, averaged over the first frame and the warped second one
/// (the derivative of the brightness halfway between them), edges repeated.
public func brightnessDerivatives(_ first: FloatImage, _ second: FloatImage) -> (ix: [Float], iy: [Float]) {
    let (width, height) = (first.width, first.height)
    var ix = [Float](repeating: 0, count: width * height), iy = ix
    for y in 0..<height {
        let up = max(y - 1, 0), down = min(y + 1, height - 1)
        for x in 0..<width {
            let left = max(x - 1, 0), right = min(x + 1, width - 1)
            let i = y * width + x
            ix[i] = 0.25 * ((first.pixels[y * width + right] - first.pixels[y * width + left])
                + (second.pixels[y * width + right] - second.pixels[y * width + left]))
            iy[i] = 0.25 * ((first.pixels[down * width + x] - first.pixels[up * width + x])
                + (second.pixels[down * width + x] - second.pixels[up * width + x]))
        }
    }
    return (ix, iy)
}

/// Each value replaced by the median of the nine around it (edges repeated).
public func median3x3(_ values: [Float], width: Int, height: Int) -> [Float] {
    var result = values
    var window = [Float](repeating: 0, count: 9)
    for y in 0..<height {
        for x in 0..<width {
            var n = 0
            for dy in -1...1 {
                for dx in -1...1 {
                    window[n] = values[min(max(y + dy, 0), height - 1) * width + min(max(x + dx, 0), width - 1)]
                    n += 1
                }
            }
            window.sort()
            result[y * width + x] = window[4]
        }
    }
    return result
}
