import Tensors
import Parallel
import Kernels
import TransformationNetwork

// The fast twin of chapter 12's instance normalisation (InstanceNormalisation.swift), on
// channels-last maps. A map's statistics are sums over its positions: the positions go in
// blocks of fixed size, each block's sums of every channel at once (in Double, the channels
// side by side in memory as they are stored), then the blocks' sums in order, so no sum depends
// on how the blocks are shared out. The normalisation itself is one multiply-add per value.

/// Positions per block of a statistics sum.
let statisticsBlock = 1024

extension InstanceNormalisation {
    /// Each channel's sum over the positions of `x` (with `mean`, of (x - mean)^2; with `other`
    /// and `inverse` too, of other (x - mean) inverse): block by block, the blocks in order.
    static func channelSums(_ maps: ChannelsLastMaps, mean: [Double]? = nil, other: ChannelsLastMaps? = nil,
                            inverse: [Double]? = nil) -> [Double] {
        let (c, n) = (maps.channels, maps.height * maps.width)
        let blocks = (n + statisticsBlock - 1) / statisticsBlock
        var partial = [Double](repeating: 0, count: blocks * c)
        let zeros = [Double](repeating: 0, count: c)
        let (m, scale) = (mean ?? zeros, inverse ?? zeros)
        maps.data.withUnsafeBufferPointer { x in
            (other ?? maps).data.withUnsafeBufferPointer { y in
                m.withUnsafeBufferPointer { m in
                    scale.withUnsafeBufferPointer { scale in
                        partial.withUnsafeMutableBufferPointer { partial in
                            let pieces = parallelPieces(blocks, perThread: 4)
                            parallelFor(pieces) { piece in
                                for block in (blocks * piece / pieces)..<(blocks * (piece + 1) / pieces) {
                                    let sums = partial.baseAddress! + block * c
                                    let positions = (block * statisticsBlock)..<min(n, (block + 1) * statisticsBlock)
                                    // Eight channels at a time held in registers (each channel's sum in
                                    // the positions' order, as one channel at a time would add them).
                                    typealias D = SIMD8<Double>
                                    @inline(__always) func load(_ p: UnsafePointer<Float>) -> D { D(UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)) }
                                    @inline(__always) func load(_ p: UnsafePointer<Double>) -> D { UnsafeRawPointer(p).loadUnaligned(as: D.self) }
                                    let (xs, ys, ms, ss) = (x.baseAddress!, y.baseAddress!, m.baseAddress!, scale.baseAddress!)
                                    var k0 = 0
                                    while k0 + 8 <= c {
                                        var sum = D()
                                        let (mk, sk) = (load(ms + k0), load(ss + k0))
                                        switch (mean != nil, other != nil) {
                                        case (false, _): for p in positions { sum += load(xs + p * c + k0) }
                                        case (true, false): for p in positions { let d = load(xs + p * c + k0) - mk; sum += d * d }
                                        case (true, true): for p in positions { sum += load(ys + p * c + k0) * ((load(xs + p * c + k0) - mk) * sk) }
                                        }
                                        for k in 0..<8 { sums[k0 + k] = sum[k] }
                                        k0 += 8
                                    }
                                    for k in k0..<c {
                                        switch (mean != nil, other != nil) {
                                        case (false, _): for p in positions { sums[k] += Double(x[p * c + k]) }
                                        case (true, false): for p in positions { let d = Double(x[p * c + k]) - m[k]; sums[k] += d * d }
                                        case (true, true): for p in positions { sums[k] += Double(y[p * c + k]) * ((Double(x[p * c + k]) - m[k]) * scale[k]) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var sums = zeros
        for block in 0..<blocks {
            for k in 0..<c { sums[k] += partial[block * c + k] }
        }
        return sums
    }

    /// Each channel's mean and 1 / sqrt(variance + epsilon).
    func fastStatistics(_ input: ChannelsLastMaps) -> (mean: [Double], inverse: [Double]) {
        let n = Double(input.height * input.width)
        let mean = Self.channelSums(input).map { $0 / n }
        let squares = Self.channelSums(input, mean: mean)
        return (mean, squares.map { 1 / ($0 / n + Double(epsilon)).squareRoot() })
    }

    /// The fast forward pass: `forward`'s values, channels-last, each one multiply-add:
    /// y = x a + b with a = scale / deviation and b = shift - mean a.
    public func forward(_ input: ChannelsLastMaps) -> ChannelsLastMaps {
        let (mean, inverse) = fastStatistics(input)
        let c = input.channels
        let a = (0..<c).map { Double(scale.data[$0]) * inverse[$0] }
        let (multiply, add) = (a.map { Float($0) }, (0..<c).map { Float(Double(shift.data[$0]) - mean[$0] * a[$0]) })
        var output = ChannelsLastMaps(uninitializedHeight: input.height, width: input.width, channels: c)
        input.data.withUnsafeBufferPointer { x in
            output.data.withUnsafeMutableBufferPointer { out in
                multiply.withUnsafeBufferPointer { multiply in
                    add.withUnsafeBufferPointer { add in
                        let n = input.height * input.width, pieces = parallelPieces(n / 256 + 1, perThread: 4)
                        parallelFor(pieces) { piece in
                            for p in (n * piece / pieces)..<(n * (piece + 1) / pieces) {
                                for k in 0..<c { out[p * c + k] = x[p * c + k] * multiply[k] + add[k] }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// The fast backward pass: dL/dInput, dL/dScale, dL/dShift, as `backward`.
    public func backward(dOutput: ChannelsLastMaps, input: ChannelsLastMaps) -> (dInput: ChannelsLastMaps, dScale: Tensor, dShift: Tensor) {
        let (mean, inverse) = fastStatistics(input)
        let (c, n) = (input.channels, input.height * input.width)
        let sumDy = Self.channelSums(dOutput)
        let sumDyXhat = Self.channelSums(input, mean: mean, other: dOutput, inverse: inverse)
        // dL/dx = inverse (g - mean(g) - xhat mean(g xhat)), g = dy scale, as one multiply-add in x and dy:
        // dx = dy u + x v + w, u = inverse scale, v = -inverse^2 mean(g xhat), w = -inverse (mean(g) - mean inverse mean(g xhat)).
        var u = [Float](repeating: 0, count: c), v = u, w = u
        for k in 0..<c {
            let meanG = sumDy[k] * Double(scale.data[k]) / Double(n), meanGXhat = sumDyXhat[k] * Double(scale.data[k]) / Double(n)
            u[k] = Float(inverse[k] * Double(scale.data[k]))
            v[k] = Float(-inverse[k] * inverse[k] * meanGXhat)
            w[k] = Float(-inverse[k] * (meanG - mean[k] * inverse[k] * meanGXhat))
        }
        var dInput = ChannelsLastMaps(uninitializedHeight: input.height, width: input.width, channels: c)
        input.data.withUnsafeBufferPointer { x in
            dOutput.data.withUnsafeBufferPointer { dy in
                dInput.data.withUnsafeMutableBufferPointer { dx in
                    let pieces = parallelPieces(n / 256 + 1, perThread: 4)
                    parallelFor(pieces) { piece in
                        for p in (n * piece / pieces)..<(n * (piece + 1) / pieces) {
                            for k in 0..<c { dx[p * c + k] = dy[p * c + k] * u[k] + x[p * c + k] * v[k] + w[k] }
                        }
                    }
                }
            }
        }
        return (dInput, Tensor(shape: [c], data: sumDyXhat.map(Float.init)), Tensor(shape: [c], data: sumDy.map(Float.init)))
    }
}
