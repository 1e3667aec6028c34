import Parallel
import VideoStyleTransfer

// The engine's twin of chapter 11's Jacobi sweeps (JacobiSweeps). A sweep reads only
// the flow of the sweep before, so its rows are independent: they are shared out over the cores
// in bands, and within a row the interior pixels, whose four neighbours all exist, go eight at a
// time in SIMD registers; the two edge pixels of each row take the plain path. Every value is
// computed by the same operations in the same order as the chapter's, so the two agree to the
// last bit (FastJacobiSweepsTests).

/// The Horn-Schunck sweeps on threads and SIMD.
public struct FastJacobiSweeps: HornSchunckSolver {
    /// The engine's sweeps.
    public init() {}

    /// The chapter's sweeps, the rows in bands over the cores, eight pixels at a time.
    public func solve(u: inout [Float], v: inout [Float], ix: [Float], iy: [Float], b: [Float], width: Int, height: Int,
                      alphaSquared: Float, sweeps: Int) {
        precondition(u.count == width * height && v.count == u.count && ix.count == u.count && iy.count == u.count && b.count == u.count)
        var nextU = u, nextV = v
        let bands = parallelPieces(height, perThread: 4)
        ix.withUnsafeBufferPointer { ix in iy.withUnsafeBufferPointer { iy in b.withUnsafeBufferPointer { b in
            for _ in 0..<sweeps {
                u.withUnsafeBufferPointer { u in v.withUnsafeBufferPointer { v in
                    nextU.withUnsafeMutableBufferPointer { nu in nextV.withUnsafeMutableBufferPointer { nv in
                        let rows = Rows(u: u, v: v, ix: ix, iy: iy, b: b, nextU: nu, nextV: nv, width: width, height: height, alphaSquared: alphaSquared)
                        parallelFor(bands) { band in
                            let start = band * height / bands, end = (band + 1) * height / bands
                            for y in start..<end { rows.sweep(row: y) }
                        }
                    } }
                } }
                swap(&u, &nextU)
                swap(&v, &nextV)
            }
        } } }
    }
}

/// One sweep's buffers: the flow before (u, v), the equations' coefficients, the flow after.
private struct Rows: @unchecked Sendable {
    let u: UnsafeBufferPointer<Float>, v: UnsafeBufferPointer<Float>
    let ix: UnsafeBufferPointer<Float>, iy: UnsafeBufferPointer<Float>, b: UnsafeBufferPointer<Float>
    let nextU: UnsafeMutableBufferPointer<Float>, nextV: UnsafeMutableBufferPointer<Float>
    let width: Int, height: Int, alphaSquared: Float

    /// The update at pixel i from its neighbours' indices, exactly as the chapter writes it.
    @inline(__always)
    func update(_ i: Int, left: Int, right: Int, up: Int, down: Int) {
        let uBar = ((u[left] + u[right]) + (u[up] + u[down])) * 0.25
        let vBar = ((v[left] + v[right]) + (v[up] + v[down])) * 0.25
        let t = (ix[i] * uBar + iy[i] * vBar + b[i]) / (alphaSquared + ix[i] * ix[i] + iy[i] * iy[i])
        nextU[i] = uBar - ix[i] * t
        nextV[i] = vBar - iy[i] * t
    }

    func sweep(row y: Int) {
        let row = y * width, up = max(y - 1, 0) * width, down = min(y + 1, height - 1) * width
        // The edge pixels, and any row too narrow for a vector, take the plain path.
        func plain(_ x: Int) { update(row + x, left: row + max(x - 1, 0), right: row + min(x + 1, width - 1), up: up + x, down: down + x) }
        guard width >= 10 else {
            for x in 0..<width { plain(x) }
            return
        }
        plain(0)
        plain(width - 1)
        typealias V = SIMD8<Float>
        let quarter = V(repeating: 0.25), a2 = V(repeating: alphaSquared)
        func load(_ p: UnsafeBufferPointer<Float>, _ i: Int) -> V { UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: V.self) }
        var x = 1
        while x + 8 <= width - 1 {
            let i = row + x
            let uBar = ((load(u, i - 1) + load(u, i + 1)) + (load(u, up + x) + load(u, down + x))) * quarter
            let vBar = ((load(v, i - 1) + load(v, i + 1)) + (load(v, up + x) + load(v, down + x))) * quarter
            let gx = load(ix, i), gy = load(iy, i)
            let t = (gx * uBar + gy * vBar + load(b, i)) / (a2 + gx * gx + gy * gy)
            let newU = uBar - gx * t, newV = vBar - gy * t
            UnsafeMutableRawPointer(nextU.baseAddress! + i).storeBytes(of: newU, as: V.self)
            UnsafeMutableRawPointer(nextV.baseAddress! + i).storeBytes(of: newV, as: V.self)
            x += 8
        }
        // The interior pixels left over after the last whole vector.
        while x < width - 1 {
            update(row + x, left: row + x - 1, right: row + x + 1, up: up + x, down: down + x)
            x += 1
        }
    }
}

extension HornSchunckFlow {
    /// Chapter 11's flow with the engine's sweeps.
    public static var fast: HornSchunckFlow { HornSchunckFlow(solver: FastJacobiSweeps()) }
}
