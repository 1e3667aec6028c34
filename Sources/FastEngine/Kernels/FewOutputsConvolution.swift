import Parallel

// A convolution with few output maps (a picture's 3 colours) straight from its padded input,
// without the window matrix (im2col) the matrix products need: a 9x9 window of 16 maps is 1296
// values per position, copied out for only 3 dot products each. Here each position's window is
// read in place, 16 channels at a time as one SIMD vector, each vector multiplied into one
// accumulator per output map. Chapter 12's last layer (9x9, W maps to 3) runs on it; its plain
// twin is the chapter's convolution (FastTransformationNetworkTests compare them).

/// The valid convolution (stride 1, no padding) of `input` (Hp x Wp x C, channels-last, already
/// padded) with `kernels` outputs, `weights` laid out as [i][j][o][c] (k x k x K x C), plus
/// `bias`: (Hp - k + 1) x (Wp - k + 1) x K, written into `output`.
public func fewOutputsConvolution(_ input: UnsafePointer<Float>, height: Int, width: Int, channels c: Int, kernelSize k: Int,
                                  weights: UnsafePointer<Float>, bias: [Float], kernels: Int, output: UnsafeMutablePointer<Float>) {
    typealias V = SIMD16<Float>
    let (outputHeight, outputWidth) = (height - k + 1, width - k + 1)
    let vectors = c / 16
    @inline(__always) func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    precondition(kernels >= 1 && kernels <= 4, "one to four output maps")
    let pieces = parallelPieces(outputHeight, perThread: 4)
    parallelFor(pieces) { piece in
        for y in (outputHeight * piece / pieces)..<(outputHeight * (piece + 1) / pieces) {
            for x in 0..<outputWidth {
                // One accumulator per output map, in registers (the unused ones stay zero).
                var (s0, s1, s2, s3) = (V(), V(), V(), V())
                var tails: (Float, Float, Float, Float) = (0, 0, 0, 0)
                for i in 0..<k {
                    for j in 0..<k {
                        let pixel = input + ((y + i) * width + x + j) * c, tap = weights + (i * k + j) * kernels * c
                        for v in 0..<vectors {
                            let value = load(pixel + 16 * v)
                            s0 = s0.addingProduct(value, load(tap + 16 * v))
                            if kernels > 1 { s1 = s1.addingProduct(value, load(tap + c + 16 * v)) }
                            if kernels > 2 { s2 = s2.addingProduct(value, load(tap + 2 * c + 16 * v)) }
                            if kernels > 3 { s3 = s3.addingProduct(value, load(tap + 3 * c + 16 * v)) }
                        }
                        for channel in (16 * vectors)..<c {
                            tails.0 += pixel[channel] * tap[channel]
                            if kernels > 1 { tails.1 += pixel[channel] * tap[c + channel] }
                            if kernels > 2 { tails.2 += pixel[channel] * tap[2 * c + channel] }
                            if kernels > 3 { tails.3 += pixel[channel] * tap[3 * c + channel] }
                        }
                    }
                }
                let out = output + (y * outputWidth + x) * kernels
                out[0] = s0.sum() + tails.0 + bias[0]
                if kernels > 1 { out[1] = s1.sum() + tails.1 + bias[1] }
                if kernels > 2 { out[2] = s2.sum() + tails.2 + bias[2] }
                if kernels > 3 { out[3] = s3.sum() + tails.3 + bias[3] }
            }
        }
    }
}
