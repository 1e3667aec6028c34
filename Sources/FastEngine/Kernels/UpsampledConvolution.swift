import Parallel

// A 3x3 convolution of a map upsampled by repetition (chapter 12's upsample-then-convolve), as
// four 2x2 convolutions of the map itself. Output row 2y reads upsampled rows 2y - 1, 2y and
// 2y + 1, which repeat the map's rows y - 1, y and y: the kernel's first row meets row y - 1 and
// its other two rows meet row y, so they act as one row, their sum. Output row 2y + 1 reads rows
// y, y and y + 1: the first two kernel rows add up. The columns split the same way. Each of the
// four phases (row parity, column parity) is then a 2x2 convolution of the map with summed
// weights: 16 multiply-adds per map position and channel pair instead of the 36 the upsampled
// map's four positions take, and the upsampled map is never made. The reflection border of the
// upsampled map repeats the map's edge, so the map comes padded by its edge (one position).
// Its plain twin is the chapter's upsampling followed by its convolution
// (FastTransformationNetworkTests compare them).

/// The summed weights of the four phases, [py][px][a][b][c][o] (2 x 2 x 2 x 2 x C x K), from a
/// 3x3 convolution's weights (K, C, 3, 3).
public func upsampledConvolutionWeights(_ weights: [Float], kernels: Int, channels: Int) -> [Float] {
    // Which kernel rows (or columns) act as tap a of phase p.
    let rows: [[[Int]]] = [[[0], [1, 2]], [[0, 1], [2]]]
    var phases = [Float](repeating: 0, count: 16 * channels * kernels)
    for py in 0..<2 {
        for px in 0..<2 {
            for a in 0..<2 {
                for b in 0..<2 {
                    for c in 0..<channels {
                        for o in 0..<kernels {
                            var sum: Float = 0
                            for i in rows[py][a] {
                                for j in rows[px][b] { sum += weights[((o * channels + c) * 3 + i) * 3 + j] }
                            }
                            phases[((((py * 2 + px) * 2 + a) * 2 + b) * channels + c) * kernels + o] = sum
                        }
                    }
                }
            }
        }
    }
    return phases
}

/// The 3x3 convolution of `input` upsampled x2 by repetition, reflection-padded: `input` is the
/// map padded by its edge, (H + 2) x (W + 2) x C, channels-last, W at least 4; `phases` from
/// `upsampledConvolutionWeights`; `kernels` a multiple of 16. Writes (2H) x (2W) x K into `output`.
public func upsampledConvolution(_ input: UnsafePointer<Float>, height: Int, width: Int, channels c: Int,
                                 phases: UnsafePointer<Float>, bias: [Float], kernels: Int, output: UnsafeMutablePointer<Float>) {
    typealias V = SIMD16<Float>
    precondition(kernels % 16 == 0 && width >= 4, "output maps in whole vectors of 16, rows of at least 4 positions")
    let paddedWidth = width + 2, outputWidth = 2 * width
    bias.withUnsafeBufferPointer { bias in
        let pieces = parallelPieces(height, perThread: 4)
        parallelFor(pieces) { piece in
            for y in (height * piece / pieces)..<(height * (piece + 1) / pieces) {
                for py in 0..<2 {
                    for px in 0..<2 {
                        for o in stride(from: 0, to: kernels, by: 16) {
                            let start = UnsafeRawPointer(bias.baseAddress! + o).loadUnaligned(as: V.self)
                            // Four map positions at a time; the last four end at the row's end, overlapping.
                            var x0 = 0
                            while x0 < width {
                                let x = min(x0, width - 4)
                                var sums = (V(), V(), V(), V())
                                for a in 0..<2 {
                                    for b in 0..<2 {
                                        // (InPlaceWindowConvolution.swift's four positions, the map's neighbours.)
                                        addFourPositions(&sums, pixel: input + ((y + py + a) * paddedWidth + x + px + b) * c, apart: c,
                                                         tap: phases + (((py * 2 + px) * 2 + a) * 2 + b) * c * kernels + o, channels: c, kernels: kernels)
                                    }
                                }
                                // Their outputs are every other position of the output row.
                                storeFourPositions(sums, plus: start, at: output + ((2 * y + py) * outputWidth + 2 * x + px) * kernels + o, apart: 2 * kernels)
                                x0 += 4
                            }
                        }
                    }
                }
            }
        }
    }
}
