import Parallel

// Convolutions straight from their padded input, without the window matrix (im2col) the matrix
// products need, where that matrix would cost more than the products. Chapter 12's network
// begins and ends with a 9x9 convolution between the picture's 3 colours and W maps: as a matrix
// product its windows are 81 x C values per position, copied out for only 3 (or W) dot products
// each, and a product with 3 rows cannot fill a micro-kernel. Its two stride-2 convolutions would
// copy out 9 C values per position for 2C outputs. Here the windows are read in place:
//  - few outputs (the last layer, W maps to 3): the input is first laid out map by map, so 16
//    neighbouring positions of one map are one SIMD vector; each tap's weight, one number per
//    output, multiplies that vector into the outputs' accumulators, 32 positions at a time;
//  - outputs in vectors (the first layer, 3 colours to W maps; the stride-2 layers; the last
//    layer's input gradient): 16 output maps are one SIMD vector; each input value, one number,
//    multiplies a tap's 16 weights into the accumulator of its position, 4 positions at a time.
// Every output is summed in the same order on any number of threads. Their plain twin is the
// chapter's convolution (FastTransformationNetworkTests compare them at the network's widths and
// at widths that leave a remainder).

/// The valid convolution (stride 1, no padding) of `input` (Hp x Wp x C, channels-last, already
/// padded) with `kernels` outputs (1 to 3), `weights` laid out as [c][i][j][o] with 3 places for
/// o (C x k x k x 3, the unused ones zero), plus `bias`: (Hp - k + 1) x (Wp - k + 1) x K, written
/// into `output`. (Six accumulators of 16 floats and two vectors of input fit AVX2's sixteen
/// registers.)
public func fewOutputsConvolution(_ input: UnsafePointer<Float>, height: Int, width: Int, channels c: Int, kernelSize k: Int,
                                  weights: UnsafePointer<Float>, bias: [Float], kernels: Int, output: UnsafeMutablePointer<Float>) {
    typealias V = SIMD16<Float>
    precondition(kernels >= 1 && kernels <= 3, "one to three output maps")
    let (outputHeight, outputWidth) = (height - k + 1, width - k + 1)
    // The input map by map: planes[channel][y][x].
    var planes = uninitializedFloats(c * height * width)
    planes.withUnsafeMutableBufferPointer { planes in
        let pieces = parallelPieces(height, perThread: 4)
        parallelFor(pieces) { piece in
            for y in (height * piece / pieces)..<(height * (piece + 1) / pieces) {
                for x in 0..<width {
                    for channel in 0..<c { planes[(channel * height + y) * width + x] = input[(y * width + x) * c + channel] }
                }
            }
        }
    }
    @inline(__always) func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    planes.withUnsafeBufferPointer { planes in
        let planes = planes.baseAddress!
        let pieces = parallelPieces(outputHeight, perThread: 4)
        parallelFor(pieces) { piece in
            for y in (outputHeight * piece / pieces)..<(outputHeight * (piece + 1) / pieces) {
                // Strips of 32 positions; the last one ends at the row's end, overlapping the one
                // before (its positions come out the same, summed in the same order).
                var x0 = 0
                while outputWidth >= 32 && x0 < outputWidth {
                    let x = min(x0, outputWidth - 32)
                    var (a0, b0, a1, b1, a2, b2) = (V(), V(), V(), V(), V(), V())
                    var tap = weights
                    for channel in 0..<c {
                        for i in 0..<k {
                            let row = planes + (channel * height + y + i) * width + x
                            for j in 0..<k {
                                let (left, right) = (load(row + j), load(row + j + 16))
                                a0 = a0.addingProduct(left, tap[0]); b0 = b0.addingProduct(right, tap[0])
                                a1 = a1.addingProduct(left, tap[1]); b1 = b1.addingProduct(right, tap[1])
                                a2 = a2.addingProduct(left, tap[2]); b2 = b2.addingProduct(right, tap[2])
                                tap += 3
                            }
                        }
                    }
                    func write(_ left: V, _ right: V, _ o: Int) {
                        for lane in 0..<16 {
                            output[(y * outputWidth + x + lane) * kernels + o] = left[lane] + bias[o]
                            output[(y * outputWidth + x + 16 + lane) * kernels + o] = right[lane] + bias[o]
                        }
                    }
                    write(a0, b0, 0)
                    if kernels > 1 { write(a1, b1, 1) }
                    if kernels > 2 { write(a2, b2, 2) }
                    x0 += 32
                }
                // Rows narrower than a strip: one position at a time, in the same order.
                if outputWidth < 32 {
                    for x in 0..<outputWidth {
                        for o in 0..<kernels {
                            var sum: Float = 0
                            for channel in 0..<c {
                                for i in 0..<k {
                                    let row = planes + (channel * height + y + i) * width + x
                                    for j in 0..<k { sum = sum.addingProduct(row[j], weights[((channel * k + i) * k + j) * 3 + o]) }
                                }
                            }
                            output[(y * outputWidth + x) * kernels + o] = sum + bias[o]
                        }
                    }
                }
            }
        }
    }
}

/// The valid convolution (no padding) of `input` (Hp x Wp x C, channels-last, already padded)
/// with `kernels` outputs (a multiple of 16) at `stride`, `weights` laid out as [i][j][c][o]
/// (k x k x C x K), plus `bias`: ((Hp - k) / s + 1) x ((Wp - k) / s + 1) x K (at least 4 wide),
/// written into `output`.
public func outputVectorsConvolution(_ input: UnsafePointer<Float>, height: Int, width: Int, channels c: Int, kernelSize k: Int, stride s: Int,
                                     weights: UnsafePointer<Float>, bias: [Float], kernels: Int, output: UnsafeMutablePointer<Float>) {
    typealias V = SIMD16<Float>
    precondition(kernels % 16 == 0, "output maps in whole vectors of 16")
    let (outputHeight, outputWidth) = ((height - k) / s + 1, (width - k) / s + 1)
    precondition(outputWidth >= 4, "rows of at least 4 positions")
    bias.withUnsafeBufferPointer { bias in
        let pieces = parallelPieces(outputHeight, perThread: 4)
        parallelFor(pieces) { piece in
            for y in (outputHeight * piece / pieces)..<(outputHeight * (piece + 1) / pieces) {
                for o in stride(from: 0, to: kernels, by: 16) {
                    let start = UnsafeRawPointer(bias.baseAddress! + o).loadUnaligned(as: V.self)
                    // Four positions at a time; the last four end at the row's end, overlapping.
                    var x0 = 0
                    while x0 < outputWidth {
                        let x = min(x0, outputWidth - 4)
                        var sums = (V(), V(), V(), V())
                        for i in 0..<k {
                            for j in 0..<k {
                                addFourPositions(&sums, pixel: input + ((y * s + i) * width + x * s + j) * c, apart: s * c,
                                                 tap: weights + (i * k + j) * c * kernels + o, channels: c, kernels: kernels)
                            }
                        }
                        storeFourPositions(sums, plus: start, at: output + (y * outputWidth + x) * kernels + o, apart: kernels)
                        x0 += 4
                    }
                }
            }
        }
    }
}

/// One tap's share of four positions' sums, 16 output maps each: `tap` holds the tap's weights
/// for each input channel (16 maps side by side, channels `kernels` apart), `pixel` the first
/// position's C channels, the others `apart` floats further on each.
@inline(__always)
func addFourPositions(_ sums: inout (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>), pixel: UnsafePointer<Float>, apart: Int,
                      tap: UnsafePointer<Float>, channels c: Int, kernels: Int) {
    for channel in 0..<c {
        let w = UnsafeRawPointer(tap + channel * kernels).loadUnaligned(as: SIMD16<Float>.self)
        sums.0 = sums.0.addingProduct(w, pixel[channel]); sums.1 = sums.1.addingProduct(w, pixel[apart + channel])
        sums.2 = sums.2.addingProduct(w, pixel[2 * apart + channel]); sums.3 = sums.3.addingProduct(w, pixel[3 * apart + channel])
    }
}

/// The four positions' sums plus `start` (the bias), stored `apart` floats from one another from `out` on.
@inline(__always)
func storeFourPositions(_ sums: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>), plus start: SIMD16<Float>,
                        at out: UnsafeMutablePointer<Float>, apart: Int) {
    UnsafeMutableRawPointer(out).storeBytes(of: sums.0 + start, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(out + apart).storeBytes(of: sums.1 + start, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(out + 2 * apart).storeBytes(of: sums.2 + start, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(out + 3 * apart).storeBytes(of: sums.3 + start, as: SIMD16<Float>.self)
}
