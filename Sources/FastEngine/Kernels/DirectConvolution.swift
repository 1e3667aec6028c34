// A direct 3x3 convolution for VGG's first layer, which sees only the image's 3 channels.
//
// Winograd (WinogradConvolution.swift) works on 16 channels at a time, so for 3 input channels
// (the forward pass of conv1_1) or 3 output channels (its input gradient, which is the image's
// gradient) most of its work would be on zero padding. Computed directly, each output pixel
// needs only 3 x 9 x 64 multiply-adds, done 16 output channels at a time in SIMD registers.
// The plain twin is `convolutionForward`/`convolutionBackward` (module Tensors); tests check that they agree.

import Parallel
import Tensors

typealias V16 = SIMD16<Float>

enum DirectConvolution3x3 {
    /// Whether the direct kernels apply: few channels on one side, whole blocks of 64 on the other.
    static func applies(fewChannels: Int, manyChannels: Int) -> Bool { fewChannels <= 4 && manyChannels % 64 == 0 }

    /// output[y][x][k] = bias[k] + sum over taps (i, j) and channels c of
    /// W[k][c][i][j] * input[y + i - 1][x + j - 1][c], with zero padding, then the ReLU if asked.
    /// `weights` is (K, C, 3, 3); input (H, W, C) with C <= 4, K a multiple of 64.
    static func forward(_ input: ChannelsLastMaps, weights: Tensor, bias: [Float], relu: Bool) -> ChannelsLastMaps {
        let (height, width, c) = (input.height, input.width, input.channels)
        let k = weights.shape[0]
        // Weights rearranged so the K values of one (tap, channel) are contiguous: [tap][c][k].
        var arranged = [Float](repeating: 0, count: 9 * c * k)
        for kernel in 0..<k {
            for channel in 0..<c {
                for tap in 0..<9 { arranged[(tap * c + channel) * k + kernel] = weights.data[(kernel * c + channel) * 9 + tap] }
            }
        }
        var output = ChannelsLastMaps(uninitializedHeight: height, width: width, channels: k)
        input.data.withUnsafeBufferPointer { x in
            arranged.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in
                    output.data.withUnsafeMutableBufferPointer { out in
                        parallelFor(height) { y in
                            for xx in 0..<width {
                                for k0 in stride(from: 0, to: k, by: 64) {
                                    @inline(__always) func load(_ p: UnsafePointer<Float>) -> V16 { UnsafeRawPointer(p).loadUnaligned(as: V16.self) }
                                    var a0 = load(b.baseAddress! + k0), a1 = load(b.baseAddress! + k0 + 16)
                                    var a2 = load(b.baseAddress! + k0 + 32), a3 = load(b.baseAddress! + k0 + 48)
                                    for tap in 0..<9 {
                                        let sy = y + tap / 3 - 1, sx = xx + tap % 3 - 1
                                        if sy < 0 || sy >= height || sx < 0 || sx >= width { continue }
                                        for channel in 0..<c {
                                            let v = V16(repeating: x[(sy * width + sx) * c + channel])
                                            let row = w.baseAddress! + (tap * c + channel) * k + k0
                                            a0 = a0.addingProduct(v, load(row)); a1 = a1.addingProduct(v, load(row + 16))
                                            a2 = a2.addingProduct(v, load(row + 32)); a3 = a3.addingProduct(v, load(row + 48))
                                        }
                                    }
                                    if relu {
                                        let zero = V16()
                                        a0.replace(with: zero, where: a0 .< zero); a1.replace(with: zero, where: a1 .< zero)
                                        a2.replace(with: zero, where: a2 .< zero); a3.replace(with: zero, where: a3 .< zero)
                                    }
                                    let destination = UnsafeMutableRawPointer(out.baseAddress! + (y * width + xx) * k + k0)
                                    destination.storeBytes(of: a0, toByteOffset: 0, as: V16.self)
                                    destination.storeBytes(of: a1, toByteOffset: 64, as: V16.self)
                                    destination.storeBytes(of: a2, toByteOffset: 128, as: V16.self)
                                    destination.storeBytes(of: a3, toByteOffset: 192, as: V16.self)
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// dInput[y][x][c] = sum over taps (i, j) and kernels k of W[k][c][i][j] * dOutput[y - i + 1][x - j + 1][k]:
    /// the input gradient for C <= 4 input channels, K a multiple of 64 (no ReLU below the image).
    /// All four channel sums (missing channels have zero weights) are kept, 16 kernels at a time,
    /// in 8 SIMD8 registers, so each gradient vector loaded serves every channel. (Four SIMD16
    /// per channel, 64 kernels at a time, needed 32 of AVX2's 16 registers and ran 3x slower.)
    static func backwardInput(_ dOutput: ChannelsLastMaps, weights: Tensor) -> ChannelsLastMaps {
        let (height, width, k) = (dOutput.height, dOutput.width, dOutput.channels)
        let c = weights.shape[1]
        // [tap][channel (4)][k]: for each input channel, the K weights that tap (i, j) applies.
        var arranged = [Float](repeating: 0, count: 9 * 4 * k)
        for kernel in 0..<k {
            for channel in 0..<c {
                for tap in 0..<9 { arranged[(tap * 4 + channel) * k + kernel] = weights.data[(kernel * c + channel) * 9 + tap] }
            }
        }
        var dInput = ChannelsLastMaps(uninitializedHeight: height, width: width, channels: c)
        dOutput.data.withUnsafeBufferPointer { g in
            arranged.withUnsafeBufferPointer { w in
                dInput.data.withUnsafeMutableBufferPointer { out in
                    parallelFor(height) { y in
                        typealias V8 = SIMD8<Float>
                        @inline(__always) func load(_ p: UnsafePointer<Float>) -> V8 { UnsafeRawPointer(p).loadUnaligned(as: V8.self) }
                        for xx in 0..<width {
                            // s[channel][half]: 16 kernels at a time as two SIMD8 per channel, 8
                            // registers, which leaves AVX2's other 8 for the gradient and weights.
                            var s00 = V8(), s01 = V8(), s10 = V8(), s11 = V8()
                            var s20 = V8(), s21 = V8(), s30 = V8(), s31 = V8()
                            for tap in 0..<9 {
                                // Input (y, x) met kernel tap (i, j) at output (y - i + 1, x - j + 1).
                                let oy = y - tap / 3 + 1, ox = xx - tap % 3 + 1
                                if oy < 0 || oy >= height || ox < 0 || ox >= width { continue }
                                let gradient = g.baseAddress! + (oy * width + ox) * k
                                let weights = w.baseAddress! + (tap * 4) * k
                                for k0 in stride(from: 0, to: k, by: 16) {
                                    let g0 = load(gradient + k0), g1 = load(gradient + k0 + 8)
                                    let w0 = weights + k0, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k
                                    s00 = s00.addingProduct(g0, load(w0)); s01 = s01.addingProduct(g1, load(w0 + 8))
                                    s10 = s10.addingProduct(g0, load(w1)); s11 = s11.addingProduct(g1, load(w1 + 8))
                                    s20 = s20.addingProduct(g0, load(w2)); s21 = s21.addingProduct(g1, load(w2 + 8))
                                    s30 = s30.addingProduct(g0, load(w3)); s31 = s31.addingProduct(g1, load(w3 + 8))
                                }
                            }
                            let destination = out.baseAddress! + (y * width + xx) * c
                            destination[0] = (s00 + s01).sum()
                            if c > 1 { destination[1] = (s10 + s11).sum() }
                            if c > 2 { destination[2] = (s20 + s21).sum() }
                            if c > 3 { destination[3] = (s30 + s31).sum() }
                        }
                    }
                }
            }
        }
        return dInput
    }
}
