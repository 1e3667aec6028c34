import Foundation

// The inverse discrete cosine transform, written to explain (ITU T.81, section A.3.3).
//
// A JPEG encoder cuts each colour plane into 8x8 blocks and describes each block not by its
// 64 samples but by how much of each of 64 fixed patterns it contains: the basis patterns,
// cosine waves of 0 to 7 half-periods across (u) and down (v). Pattern (0, 0) is flat, the
// block's average (the "DC" coefficient); the others (the "AC" ones) add ever finer detail.
// Decoding adds the patterns up again, each weighted by its coefficient:
//
//     s(x, y) = 1/4 sum over u, v of C(u) C(v) S(v, u) cos((2x + 1) u pi / 16) cos((2y + 1) v pi / 16)
//
// with C(0) = 1/sqrt(2) and C(k) = 1 otherwise, then adds 128 (the encoder subtracted it so
// that the samples centre on zero). This file computes exactly that sum, 64 patterns for each
// of 64 samples. `FastInverseDCT` computes the same numbers in a fraction of the time.

public enum InverseDCT {
    /// C(k): the normalisation that makes the transform orthonormal.
    static func normalisation(_ k: Int) -> Double { k == 0 ? 1 / 2.0.squareRoot() : 1 }

    /// Basis pattern (u, v): 64 values, row by row, of 1/4 C(u) C(v) cos((2x+1)u pi/16) cos((2y+1)v pi/16).
    /// `u` counts half-periods across, `v` down; (0, 0) is flat at 1/8.
    public static func basisPattern(u: Int, v: Int) -> [Double] {
        var pattern = [Double](repeating: 0, count: 64)
        for y in 0..<8 {
            for x in 0..<8 {
                pattern[y * 8 + x] = 0.25 * normalisation(u) * normalisation(v)
                    * cos(Double(2 * x + 1) * Double(u) * .pi / 16) * cos(Double(2 * y + 1) * Double(v) * .pi / 16)
            }
        }
        return pattern
    }

    /// The 64 basis patterns, pattern `v * 8 + u` at that index: row v of the 8x8 grid of patterns.
    public static let basisPatterns: [[Double]] = (0..<64).map { basisPattern(u: $0 % 8, v: $0 / 8) }

    /// A block's 64 samples (before the +128 level shift) from its 64 dequantised coefficients,
    /// both row by row (coefficient index v * 8 + u): the sum of the basis patterns, each
    /// weighted by its coefficient.
    public static func transform(_ coefficients: [Double]) -> [Double] {
        precondition(coefficients.count == 64)
        var samples = [Double](repeating: 0, count: 64)
        for index in 0..<64 where coefficients[index] != 0 {
            let pattern = basisPatterns[index]
            for i in 0..<64 { samples[i] += coefficients[index] * pattern[i] }
        }
        return samples
    }

    /// A component's samples from its quantised coefficients: each block's coefficients times
    /// the quantisation steps, transformed, shifted by 128, rounded and clamped to 0...255.
    /// The plane is `blocksPerLine * 8` samples wide and `blockRows * 8` high.
    /// (The plain twin of `FastInverseDCT.component`.)
    public static func component(coefficients: [Int16], quantisation: [UInt16], blocksPerLine: Int, blockRows: Int) -> [UInt8] {
        precondition(coefficients.count == blocksPerLine * blockRows * 64 && quantisation.count == 64)
        let stride = blocksPerLine * 8
        var plane = [UInt8](repeating: 0, count: stride * blockRows * 8)
        for blockRow in 0..<blockRows {
            for blockColumn in 0..<blocksPerLine {
                let base = (blockRow * blocksPerLine + blockColumn) * 64
                let dequantised = (0..<64).map { Double(coefficients[base + $0]) * Double(quantisation[$0]) }
                let samples = transform(dequantised)
                for y in 0..<8 {
                    for x in 0..<8 {
                        let value = (samples[y * 8 + x] + 128).rounded()
                        plane[(blockRow * 8 + y) * stride + blockColumn * 8 + x] = UInt8(min(255, max(0, value)))
                    }
                }
            }
        }
        return plane
    }
}
