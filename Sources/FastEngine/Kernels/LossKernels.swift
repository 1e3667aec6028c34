import Parallel

// The losses' own arithmetic on the fast path: each loss and its gradient in one pass over
// memory, split between the threads. Their plain twins are `meanSquaredErrorForward` and
// `meanSquaredErrorBackward` (module Tensors) and `totalVariationForward` and
// `totalVariationBackward` (module StyleTransfer), which read like the formulas; tests check
// that they agree.

/// Values per block of work: each block's partial sum is computed on its own and the partial
/// sums are added in order, so the result does not depend on the number of threads.
let lossBlock = 1 << 14

/// mean((x - t)^2) and its gradient, dLoss * 2 (x - t) / N, in one pass; the sum in Double.
public func meanSquaredErrorAndGradient(_ x: [Float], target t: [Float], dLoss: Float = 1) -> (loss: Double, gradient: [Float]) {
    precondition(x.count == t.count, "shapes do not match")
    let n = x.count, blocks = (n + lossBlock - 1) / lossBlock
    let scale = 2 * dLoss / Float(max(n, 1))
    var gradient = uninitializedFloats(n)
    var partial = [Double](repeating: 0, count: blocks)
    x.withUnsafeBufferPointer { x in
        t.withUnsafeBufferPointer { t in
            gradient.withUnsafeMutableBufferPointer { g in
                partial.withUnsafeMutableBufferPointer { partial in
                    parallelFor(blocks) { block in
                        var sum: Double = 0
                        var i = block * lossBlock
                        let end = min(n, i + lossBlock)
                        while i + 8 <= end {
                            let d = UnsafeRawPointer(x.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self)
                                - UnsafeRawPointer(t.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self)
                            UnsafeMutableRawPointer(g.baseAddress! + i).storeBytes(of: d * scale, as: SIMD8<Float>.self)
                            sum += SIMD8<Double>(d * d).sum()
                            i += 8
                        }
                        while i < end {
                            let d = x[i] - t[i]
                            g[i] = d * scale
                            sum += Double(d * d)
                            i += 1
                        }
                        partial[block] = sum
                    }
                }
            }
        }
    }
    return (partial.reduce(0, +) / Double(max(n, 1)), gradient)
}

/// Total variation 0.5 * sum of (x[y+1,x] - x[y,x])^2 + (x[y,x+1] - x[y,x])^2 over a (C, H, W)
/// image, times `weight`, returned; its gradient, times `weight`, is added to `gradient`.
/// Each value's gradient is gathered from its four neighbours,
///     weight * [(v - left) + (v - up) - (right - v) - (down - v)]   (missing neighbours left out),
/// so every row is written by one thread only.
public func totalVariationAddingGradient(_ image: [Float], channels: Int, height: Int, width: Int, weight: Float,
                                         into gradient: inout [Float]) -> Double {
    precondition(image.count == channels * height * width && gradient.count == image.count, "shapes do not match")
    let rows = width > 0 ? channels * height : 0
    var partial = [Double](repeating: 0, count: rows)
    image.withUnsafeBufferPointer { image in
        gradient.withUnsafeMutableBufferPointer { gradient in
            partial.withUnsafeMutableBufferPointer { partial in
                parallelFor(min(rows, kernelThreads * 8)) { part in
                    let parts = min(rows, kernelThreads * 8)
                    for row in (rows * part / parts)..<(rows * (part + 1) / parts) {
                        let y = row % height
                        let v = image.baseAddress! + row * width, g = gradient.baseAddress! + row * width
                        let up: UnsafePointer<Float>? = y > 0 ? v - width : nil
                        let down: UnsafePointer<Float>? = y + 1 < height ? v + width : nil
                        var sum: Float = 0
                        // Left and right neighbours: each pair (x, x + 1) once for the loss; the
                        // gradient of an inner value is 2v - left - right, of an end value one side.
                        for x in 0..<(width - 1) { let d = v[x + 1] - v[x]; sum += d * d }
                        if width > 1 {
                            g[0] += weight * (v[0] - v[1])
                            for x in 1..<(width - 1) { g[x] += weight * (2 * v[x] - v[x - 1] - v[x + 1]) }
                            g[width - 1] += weight * (v[width - 1] - v[width - 2])
                        }
                        // The neighbours above and below.
                        if let down {
                            for x in 0..<width { let d = down[x] - v[x]; sum += d * d; g[x] -= weight * d }
                        }
                        if let up {
                            for x in 0..<width { g[x] += weight * (v[x] - up[x]) }
                        }
                        partial[row] = Double(sum)
                    }
                }
            }
        }
    }
    return 0.5 * Double(weight) * partial.reduce(0, +)
}
