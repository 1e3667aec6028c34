import Foundation

// The inverse DCT made fast: separable, vectorised, multithreaded. The plain twin is `InverseDCT`.
//
// The 2-D cosine sum of InverseDCT factors into two 1-D passes, because each basis pattern is a
// product of a horizontal cosine and a vertical one. Writing K[k][n] = C(k)/2 cos((2n+1)k pi/16),
// and S for the 8x8 coefficients (row v, column u):
//
//     samples = K^T S K,  that is  T[y] = sum over v of K[v][y] * S[v]      (down the columns)
//                                  out[y] = sum over u of T[y][u] * K[u]   (along the rows)
//
// Each pass is 64 multiply-adds of 8-wide vectors instead of 4,096 scalar ones, rows of zeros
// (most of them, after quantisation) are skipped in the first pass, and a block whose only
// nonzero coefficient is DC is a flat square. Blocks are shared out to every core in bands of
// block rows. The coefficients are the project's own arrays, already checked in size, so the
// kernel reads and writes them through pointers; the output matches the plain twin to within
// one level (`JPEGKernelTests` checks it on whole components).

public enum FastInverseDCT {
    /// K[k] as a vector over n: row k of the cosine matrix.
    static let cosineRows: [SIMD8<Float>] = (0..<8).map { k in
        var row = SIMD8<Float>()
        for n in 0..<8 { row[n] = Float(InverseDCT.normalisation(k) / 2 * cos(Double(2 * n + 1) * Double(k) * .pi / 16)) }
        return row
    }

    /// Transforms one block: `rows` holds 8 rows of dequantised coefficients and receives the
    /// 8 rows of samples (before the +128 shift); `scratch` holds 8 more vectors.
    @inline(__always)
    static func transform(_ rows: UnsafeMutablePointer<SIMD8<Float>>, scratch columns: UnsafeMutablePointer<SIMD8<Float>>,
                          cosine k: UnsafePointer<SIMD8<Float>>, usedColumns: Int = 8) {
        // Down the columns: columns[y] = sum over v of K[v][y] * rows[v], skipping zero rows.
        for y in 0..<8 { columns[y] = SIMD8<Float>() }
        for v in 0..<8 where rows[v] != SIMD8<Float>() {
            let row = rows[v], weights = k[v]
            for y in 0..<8 { columns[y] += weights[y] * row }
        }
        // Along the rows: rows[y] = sum over u of columns[y][u] * K[u], for the columns u where
        // some coefficient is nonzero (the others contribute nothing).
        for y in 0..<8 {
            let c = columns[y]
            var out = c[0] * k[0]
            for u in 1..<usedColumns { out += c[u] * k[u] }
            rows[y] = out
        }
    }

    /// A component's samples from its quantised coefficients, as `InverseDCT.component` computes them.
    public static func component(coefficients: [Int16], quantisation: [UInt16], blocksPerLine: Int, blockRows: Int,
                                 parallel: Bool = true) -> [UInt8] {
        coefficients.withUnsafeBufferPointer {
            component(coefficients: $0, quantisation: quantisation, blocksPerLine: blocksPerLine, blockRows: blockRows, parallel: parallel)
        }
    }

    static func component(coefficients: UnsafeBufferPointer<Int16>, quantisation: [UInt16], blocksPerLine: Int, blockRows: Int,
                          parallel: Bool) -> [UInt8] {
        precondition(coefficients.count == blocksPerLine * blockRows * 64 && quantisation.count == 64)
        let stride = blocksPerLine * 8
        let steps: [SIMD8<Float>] = (0..<8).map { v in SIMD8<Float>((0..<8).map { Float(quantisation[v * 8 + $0]) }) }
        let bands = min(blockRows, 64)
        // Every sample of the plane is written below, so it starts uninitialised.
        let plane = [UInt8](unsafeUninitializedCapacity: stride * blockRows * 8) { output, initialised in
            steps.withUnsafeBufferPointer { steps in
                cosineRows.withUnsafeBufferPointer { cosine in
                    let input = coefficients.baseAddress!, output = output.baseAddress!, steps = steps.baseAddress!, cosine = cosine.baseAddress!
                    JPEGDecoder.forEach(bands, parallel: parallel) { band in
                        let rows = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 16)
                        defer { rows.deallocate() }
                        for blockRow in (band * blockRows / bands)..<((band + 1) * blockRows / bands) {
                            for blockColumn in 0..<blocksPerLine {
                                let block = input + (blockRow * blocksPerLine + blockColumn) * 64
                                let corner = output + blockRow * 8 * stride + blockColumn * 8
                                transformBlock(block, steps: steps, into: corner, stride: stride, rows: rows, cosine: cosine)
                            }
                        }
                    }
                }
            }
            initialised = stride * blockRows * 8
        }
        return plane
    }

    /// Dequantises, transforms, shifts, rounds and clamps one block into the plane at `corner`.
    @inline(__always)
    static func transformBlock(_ block: UnsafePointer<Int16>, steps: UnsafePointer<SIMD8<Float>>, into corner: UnsafeMutablePointer<UInt8>,
                               stride: Int, rows: UnsafeMutablePointer<SIMD8<Float>>, cosine: UnsafePointer<SIMD8<Float>>) {
        let raw = UnsafeRawPointer(block)
        var nonzero = SIMD8<Int16>()
        for v in 0..<8 {
            let quantised = raw.loadUnaligned(fromByteOffset: v * 16, as: SIMD8<Int16>.self)
            nonzero |= v == 0 ? quantised & SIMD8<Int16>(0, -1, -1, -1, -1, -1, -1, -1) : quantised
            rows[v] = floats(quantised) * steps[v]
        }
        if nonzero == SIMD8<Int16>() {
            // Only the flat pattern: every sample is DC / 8.
            let value = UInt8(max(0, min(255, (rows[0][0] / 8 + 128).rounded())))
            let flat = SIMD8<UInt8>(repeating: value)
            for y in 0..<8 { UnsafeMutableRawPointer(corner + y * stride).storeBytes(of: flat, as: SIMD8<UInt8>.self) }
            return
        }
        var usedColumns = 8
        while usedColumns > 1 && nonzero[usedColumns - 1] == 0 { usedColumns -= 1 }
        transform(rows, scratch: rows + 8, cosine: cosine, usedColumns: usedColumns)
        for y in 0..<8 {
            UnsafeMutableRawPointer(corner + y * stride).storeBytes(of: bytes(rows[y] + 128), as: SIMD8<UInt8>.self)
        }
    }

    // Swift's general SIMD conversions between integers and floats go lane by lane; these two
    // use the float format instead. 1.5 * 2^23 has a unit in the last place of exactly 1, so
    // small integers added to its bit pattern are that float plus the integer, and a float
    // (below 2^22 in size) added to it is rounded (to nearest, ties to even) into the low bits.
    static let magic: Float = 12_582_912
    static let magicBits = SIMD8<Int32>(repeating: Int32(bitPattern: magic.bitPattern))

    /// Quantised coefficients as floats.
    @inline(__always)
    static func floats(_ values: SIMD8<Int16>) -> SIMD8<Float> {
        unsafeBitCast(SIMD8<Int32>(truncatingIfNeeded: values) &+ magicBits, to: SIMD8<Float>.self) - magic
    }

    /// Floats rounded to the nearest integer and clamped to 0...255, as bytes. The clamp works on
    /// the integers' bits: `x &>> 31` is all ones for a negative x, so `x & ~(x &>> 31)` is
    /// max(x, 0); `(255 - x) &>> 31` is all ones above 255, so or-ing it in and keeping the low
    /// byte gives 255 there.
    @inline(__always)
    static func bytes(_ values: SIMD8<Float>) -> SIMD8<UInt8> {
        let x = unsafeBitCast(values + magic, to: SIMD8<Int32>.self) &- magicBits
        let atLeastZero = x & ~(x &>> 31)
        let clamped = (atLeastZero | ((255 &- atLeastZero) &>> 31)) & 255
        return SIMD8<UInt8>(truncatingIfNeeded: clamped)
    }
}
