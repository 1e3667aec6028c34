// Fast versions of the ReLU and the 2x2 pooling of VGG, on channels-last maps, split between
// threads. Their plain twins on (C, H, W) tensors are `reluForward`/`reluBackward` and
// `maxPoolForward`/`averagePoolForward` and their backward passes in the module Tensors;
// tests check that they agree. Two are fused: a pooling gradient and an added loss gradient
// can pass back through the ReLU below in the same pass over memory.

import Parallel

/// ReLU in place.
public func reluInPlace(_ maps: inout ChannelsLastMaps) {
    maps.data.withUnsafeMutableBufferPointer { p in
        let count = p.count, chunks = kernelThreads * 4
        parallelFor(chunks) { t in
            for i in (count * t / chunks)..<(count * (t + 1) / chunks) { p[i] = max(0, p[i]) }
        }
    }
}

/// dL/dInput of ReLU, in place on the gradient, from the ReLU's output (positive exactly where
/// its input was).
public func reluBackwardInPlace(_ gradient: inout ChannelsLastMaps, output: ChannelsLastMaps) {
    output.data.withUnsafeBufferPointer { y in
        gradient.data.withUnsafeMutableBufferPointer { g in
            let count = g.count, chunks = kernelThreads * 4
            parallelFor(chunks) { t in
                for i in (count * t / chunks)..<(count * (t + 1) / chunks) { g[i] = y[i] > 0 ? g[i] : 0 }
            }
        }
    }
}

/// a += b, elementwise; with `mask`, only where the mask (a ReLU's output) is positive: adding a
/// gradient that must still pass back through that ReLU, in the same pass.
public func accumulate(_ b: ChannelsLastMaps, into a: inout ChannelsLastMaps, maskedBy mask: ChannelsLastMaps? = nil) {
    let maskData = mask?.data ?? []
    b.data.withUnsafeBufferPointer { source in
        maskData.withUnsafeBufferPointer { m in
            a.data.withUnsafeMutableBufferPointer { destination in
                let count = destination.count, chunks = kernelThreads * 4
                parallelFor(chunks) { t in
                    let range = (count * t / chunks)..<(count * (t + 1) / chunks)
                    if mask == nil {
                        for i in range { destination[i] += source[i] }
                    } else {
                        for i in range { destination[i] += m[i] > 0 ? source[i] : 0 }
                    }
                }
            }
        }
    }
}

/// 2x2 pooling with stride 2, max or average, all channels of a position at once. A last odd
/// row or column is left out, as in the plain version.
public func pool2x2(_ input: ChannelsLastMaps, average: Bool) -> ChannelsLastMaps {
    let (c, width) = (input.channels, input.width)
    let oh = input.height / 2, ow = input.width / 2
    var output = ChannelsLastMaps(uninitializedHeight: oh, width: ow, channels: c)
    input.data.withUnsafeBufferPointer { x in
        output.data.withUnsafeMutableBufferPointer { y in
            parallelFor(oh) { oy in
                for ox in 0..<ow {
                    let topLeft = x.baseAddress! + ((2 * oy) * width + 2 * ox) * c
                    let topRight = topLeft + c, bottomLeft = topLeft + width * c, bottomRight = bottomLeft + c
                    let destination = y.baseAddress! + (oy * ow + ox) * c
                    for i in 0..<c {
                        let (a, b, p, q) = (topLeft[i], topRight[i], bottomLeft[i], bottomRight[i])
                        destination[i] = average ? (a + b + p + q) * 0.25 : max(max(a, b), max(p, q))
                    }
                }
            }
        }
    }
    return output
}

/// The gradient of `pool2x2`: to the first maximum of each window (in reading order, as the
/// plain version chooses), or a quarter to each input. With `throughReLU`, the gradient also
/// passes back through the ReLU that produced the pool's input: zero where that input is not
/// positive. Every input gets a value, so nothing needs zeroing first.
public func pool2x2Backward(dOutput: ChannelsLastMaps, input: ChannelsLastMaps, average: Bool, throughReLU: Bool = false) -> ChannelsLastMaps {
    let (c, width) = (input.channels, input.width)
    let oh = input.height / 2, ow = input.width / 2
    // An odd last row or column received no gradient; only then must the output start at zero.
    var dInput = input.height % 2 == 0 && input.width % 2 == 0
        ? ChannelsLastMaps(uninitializedHeight: input.height, width: input.width, channels: c)
        : ChannelsLastMaps(height: input.height, width: input.width, channels: c)
    input.data.withUnsafeBufferPointer { x in
        dOutput.data.withUnsafeBufferPointer { dy in
            dInput.data.withUnsafeMutableBufferPointer { dx in
                parallelFor(oh) { oy in
                    for ox in 0..<ow {
                        let i00 = ((2 * oy) * width + 2 * ox) * c, i01 = i00 + c, i10 = i00 + width * c, i11 = i10 + c
                        let g = dy.baseAddress! + (oy * ow + ox) * c
                        var first = 0   // channels below this were done eight at a time
                        if !average && c % 8 == 0 {
                            maxPoolBackward8(x.baseAddress!, dx.baseAddress!, g, i00: i00, i01: i01, i10: i10, i11: i11,
                                             channels: c, throughReLU: throughReLU)
                            first = c
                        }
                        for i in first..<c {
                            let a = x[i00 + i], b = x[i01 + i], p = x[i10 + i], q = x[i11 + i]
                            var (da, db, dp, dq): (Float, Float, Float, Float)
                            if average {
                                let d = g[i] * 0.25
                                (da, db, dp, dq) = (d, d, d, d)
                            } else {
                                let d = g[i]
                                let takeA = a >= b && a >= p && a >= q
                                let takeB = !takeA && b >= p && b >= q
                                let takeP = !takeA && !takeB && p >= q
                                let takeQ = !takeA && !takeB && !takeP
                                (da, db, dp, dq) = (takeA ? d : 0, takeB ? d : 0, takeP ? d : 0, takeQ ? d : 0)
                            }
                            if throughReLU {
                                if a <= 0 { da = 0 }
                                if b <= 0 { db = 0 }
                                if p <= 0 { dp = 0 }
                                if q <= 0 { dq = 0 }
                            }
                            dx[i00 + i] = da; dx[i01 + i] = db; dx[i10 + i] = dp; dx[i11 + i] = dq
                        }
                    }
                }
            }
        }
    }
    return dInput
}

/// `pool2x2Backward`'s max branch for one window, eight channels at a time: the same choice of
/// the largest value (the first of equals, in the order a, b, p, q) made lane by lane with masks.
@inline(__always)
func maxPoolBackward8(_ x: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                      i00: Int, i01: Int, i10: Int, i11: Int, channels c: Int, throughReLU: Bool) {
    typealias V8 = SIMD8<Float>
    @inline(__always) func load(_ p: UnsafePointer<Float>) -> V8 { UnsafeRawPointer(p).loadUnaligned(as: V8.self) }
    @inline(__always) func store(_ v: V8, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self) }
    let zero = V8()
    for i in stride(from: 0, to: c, by: 8) {
        let a = load(x + i00 + i), b = load(x + i01 + i), p = load(x + i10 + i), q = load(x + i11 + i)
        let d = load(g + i)
        let takeA = (a .>= b) .& (a .>= p) .& (a .>= q)
        let takeB = .!takeA .& (b .>= p) .& (b .>= q)
        let takeP = .!takeA .& .!takeB .& (p .>= q)
        let takeQ = .!(takeA .| takeB .| takeP)
        var da = zero.replacing(with: d, where: takeA), db = zero.replacing(with: d, where: takeB)
        var dp = zero.replacing(with: d, where: takeP), dq = zero.replacing(with: d, where: takeQ)
        if throughReLU {
            da.replace(with: 0, where: a .<= zero); db.replace(with: 0, where: b .<= zero)
            dp.replace(with: 0, where: p .<= zero); dq.replace(with: 0, where: q .<= zero)
        }
        store(da, dx + i00 + i); store(db, dx + i01 + i); store(dp, dx + i10 + i); store(dq, dx + i11 + i)
    }
}
