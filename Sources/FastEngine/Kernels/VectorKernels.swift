import Parallel

// The vector arithmetic of L-BFGS's two-loop recursion (chapter 6b's LBFGS.swift) over whole
// images: a few million values, read dozens of times per step. Each function splits its vector
// into blocks shared by the cores; a block's partial sum is computed on its own, eight lanes
// at a time in Double, and the partial sums are added in order, so the result does not depend
// on how many cores there are. Their plain twins are the chapter's `LBFGSLoops`; the engine's
// `FastLBFGSLoops` (FastOptimisers) puts these in their place, and its tests compare the two.

/// Values per block.
let vectorBlockSize = 1 << 15

public enum VectorKernels {
    /// a . b, summed in Double.
    public static func dot(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "vectors of different lengths")
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                blockSums(a.count) { range in dotOfBlock(a.baseAddress!, b.baseAddress!, range) }
            }
        }
    }

    /// y += c x.
    public static func addMultiple(_ c: Double, of x: [Float], to y: inout [Float]) {
        precondition(x.count == y.count, "vectors of different lengths")
        let (c, n) = (Float(c), x.count)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                let (x, y) = (SharedPointer(x.baseAddress!), SharedPointer(y.baseAddress!))
                _ = blockSums(n) { range in
                    for i in range { y.pointer[i] += c * x.pointer[i] }
                    return 0
                }
            }
        }
    }

    /// y = a y + c x, and then y . z, in one pass: an update of the two-loop recursion and the
    /// dot product the next one needs, reading y once instead of twice. With no z, only the update
    /// (and 0).
    public static func scaleAddingMultipleThenDot(_ a: Double, _ y: inout [Float], plus c: Double, of x: [Float], dot z: [Float]?) -> Double {
        precondition(x.count == y.count && (z?.count ?? y.count) == y.count, "vectors of different lengths")
        let (a, c, n, hasZ) = (Float(a), Float(c), x.count, z != nil)
        return x.withUnsafeBufferPointer { x in
            (z ?? []).withUnsafeBufferPointer { z in
                y.withUnsafeMutableBufferPointer { y in
                    let (x, y) = (SharedPointer(x.baseAddress!), SharedPointer(y.baseAddress!))
                    // An empty array's buffer still has an address: whether there is a z is
                    // decided by the optional, not by the pointer.
                    let z = hasZ ? z.baseAddress : nil
                    return blockSums(n) { range in
                        let (va, vc) = (SIMD8<Float>(repeating: a), SIMD8<Float>(repeating: c))
                        var i = range.lowerBound
                        while i + 8 <= range.upperBound {
                            let updated = va * load8(y.pointer + i) + vc * load8(x.pointer + i)
                            UnsafeMutableRawPointer(y.pointer + i).storeBytes(of: updated, as: SIMD8<Float>.self)
                            i += 8
                        }
                        while i < range.upperBound { y.pointer[i] = a * y.pointer[i] + c * x.pointer[i]; i += 1 }
                        guard let z else { return 0 }
                        return dotOfBlock(UnsafePointer(y.pointer), z, range)
                    }
                }
            }
        }
    }

    /// s = x - x0 and y = g - g0 with s.y, s.s and y.y, in one pass: an L-BFGS pair and the
    /// products that decide whether it is kept.
    public static func pair(x: [Float], x0: [Float], g: [Float], g0: [Float])
        -> (s: [Float], y: [Float], sy: Double, ss: Double, yy: Double) {
        precondition(x.count == x0.count && g.count == g0.count && x.count == g.count, "vectors of different lengths")
        let n = x.count
        var s = [Float](repeating: 0, count: n), y = s
        var products = [SIMD4<Double>](repeating: .zero, count: blocks(n))
        x.withUnsafeBufferPointer { x in x0.withUnsafeBufferPointer { x0 in g.withUnsafeBufferPointer { g in g0.withUnsafeBufferPointer { g0 in
            s.withUnsafeMutableBufferPointer { sp in y.withUnsafeMutableBufferPointer { yp in products.withUnsafeMutableBufferPointer { pp in
                let (sp, yp, pp) = (SharedPointer(sp.baseAddress!), SharedPointer(yp.baseAddress!), SharedPointer(pp.baseAddress!))
                let (x, x0, g, g0) = (x.baseAddress!, x0.baseAddress!, g.baseAddress!, g0.baseAddress!)
                parallelFor(blocks(n)) { block in
                    var sums = SIMD4<Double>()
                    for i in block * vectorBlockSize..<min(n, (block + 1) * vectorBlockSize) {
                        let (si, yi) = (x[i] - x0[i], g[i] - g0[i])
                        sp.pointer[i] = si
                        yp.pointer[i] = yi
                        sums += SIMD4(Double(si) * Double(yi), Double(si) * Double(si), Double(yi) * Double(yi), 0)
                    }
                    pp.pointer[block] = sums
                }
            } } }
        } } } }
        let total = products.reduce(SIMD4<Double>(), +)
        return (s, y, total[0], total[1], total[2])
    }

    /// g . (x - x0), summed in Double: the decrease a slope g promises for a step from x0 to x.
    public static func dot(_ g: [Float], minus x0: [Float], plus x: [Float]) -> Double {
        precondition(g.count == x0.count && g.count == x.count, "vectors of different lengths")
        let n = g.count
        return g.withUnsafeBufferPointer { g in x0.withUnsafeBufferPointer { x0 in x.withUnsafeBufferPointer { x in
            let (g, x0, x) = (g.baseAddress!, x0.baseAddress!, x.baseAddress!)
            return blockSums(n) { range in
                var sums = SIMD8<Double>()
                var i = range.lowerBound
                while i + 8 <= range.upperBound {
                    sums += SIMD8<Double>(load8(g + i)) * SIMD8<Double>(load8(x + i) - load8(x0 + i))
                    i += 8
                }
                var sum = sums.sum()
                while i < range.upperBound { sum += Double(g[i]) * Double(x[i] - x0[i]); i += 1 }
                return sum
            }
        } } }
    }

    /// Each value of x clamped into lower[k]...upper[k], k = i / runLength (chapter 6b's `Box`).
    public static func clamp(_ x: inout [Float], lower: [Float], upper: [Float], runLength: Int) {
        precondition(x.count == lower.count * runLength && lower.count == upper.count, "a vector of another length than its bounds")
        let n = x.count
        x.withUnsafeMutableBufferPointer { x in
            let x = SharedPointer(x.baseAddress!)
            _ = blockSums(n) { range in
                var i = range.lowerBound
                while i < range.upperBound {
                    // Up to the end of the block or of the run, whichever is first: one pair of bounds.
                    let k = i / runLength, end = min(range.upperBound, (k + 1) * runLength)
                    let (lo, hi) = (lower[k], upper[k])
                    let (vlo, vhi) = (SIMD8<Float>(repeating: lo), SIMD8<Float>(repeating: hi))
                    while i + 8 <= end {
                        // The chapter's min(upper, max(lower, v)) with Swift's own choices: max(lo, v)
                        // is v where v >= lo (else lo, a NaN too), min(hi, m) is m where m < hi.
                        let v = load8(x.pointer + i)
                        let m = vlo.replacing(with: v, where: v .>= vlo)
                        let clamped = vhi.replacing(with: m, where: m .< vhi)
                        UnsafeMutableRawPointer(x.pointer + i).storeBytes(of: clamped, as: SIMD8<Float>.self)
                        i += 8
                    }
                    while i < end { x.pointer[i] = min(hi, max(lo, x.pointer[i])); i += 1 }
                }
                return 0
            }
        }
    }

    /// v[i] = 0 where x[i] is on a bound and g[i] points out of the box (chapter 6b's `Box.zeroHeld`).
    public static func zeroHeld(_ v: inout [Float], at x: [Float], gradient g: [Float], lower: [Float], upper: [Float], runLength: Int) {
        precondition(v.count == x.count && x.count == g.count && x.count == lower.count * runLength, "vectors of different lengths")
        let n = x.count
        x.withUnsafeBufferPointer { x in g.withUnsafeBufferPointer { g in v.withUnsafeMutableBufferPointer { v in
            let (x, g, v) = (x.baseAddress!, g.baseAddress!, SharedPointer(v.baseAddress!))
            _ = blockSums(n) { range in
                var i = range.lowerBound
                while i < range.upperBound {
                    let k = i / runLength, end = min(range.upperBound, (k + 1) * runLength)
                    let (lo, hi) = (lower[k], upper[k])
                    while i < end {
                        if (x[i] <= lo && g[i] > 0) || (x[i] >= hi && g[i] < 0) { v.pointer[i] = 0 }
                        i += 1
                    }
                }
                return 0
            }
        } } }
    }

    // ---- Blocks.

    static func blocks(_ n: Int) -> Int { (n + vectorBlockSize - 1) / vectorBlockSize }

    /// Runs `body` on every block of [0, n), on all the cores, and adds the blocks' results in order.
    static func blockSums(_ n: Int, _ body: (Range<Int>) -> Double) -> Double {
        var partial = [Double](repeating: 0, count: blocks(n))
        partial.withUnsafeMutableBufferPointer { partial in
            let p = SharedPointer(partial.baseAddress!)
            parallelFor(blocks(n)) { block in
                p.pointer[block] = body(block * vectorBlockSize..<min(n, (block + 1) * vectorBlockSize))
            }
        }
        return partial.reduce(0, +)
    }

    @inline(__always) static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) static func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> { load8(UnsafePointer(p)) }

    /// a . b over one block, eight lanes at a time in Double.
    @inline(__always) static func dotOfBlock(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ range: Range<Int>) -> Double {
        var sums = SIMD8<Double>()
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            sums += SIMD8<Double>(load8(a + i)) * SIMD8<Double>(load8(b + i))
            i += 8
        }
        var sum = sums.sum()
        while i < range.upperBound { sum += Double(a[i]) * Double(b[i]); i += 1 }
        return sum
    }
}

/// A pointer the blocks share; each block touches only its own range.
struct SharedPointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ p: UnsafeMutablePointer<T>) { pointer = p }
    init(_ p: UnsafePointer<T>) { pointer = UnsafeMutablePointer(mutating: p) }
}
