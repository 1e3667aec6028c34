// The arithmetic of Winograd's F(4x4, 3x3), 16 channels at a time: the three transforms
//
//     V = B^T d B (input patch),   U = G g G^T (kernel),   Y = A^T M A (output tile),
//
// written out as the additions and small multiplications they are. `WinogradTile.swift` says
// the same with the matrices B^T, G and A^T as plain arrays, one scalar tile at a time; tests
// check the two agree. How the tiles are shared between threads is WinogradScheduling.swift's
// business, and the layer that ties it together is WinogradConvolution.swift.
import Parallel
import Tensors

public enum WinogradTransforms {
    /// The 36 matrices [xi][input][output], row-major.
    public static func transformKernelsRowMajor(inputs: Int, outputs: Int, kernel: (Int, Int) -> [Float]) -> [Float] {
        let ci = WinogradConvolution3x3.padded(inputs), co = WinogradConvolution3x3.padded(outputs)
        var u = [Float](repeating: 0, count: 36 * ci * co)
        // G (6 x 3) of F(4x4, 3x3) with interpolation points 0, 1, -1, 2, -2 and infinity.
        let g: [Float] = [1.0 / 4, 0, 0, -1.0 / 6, -1.0 / 6, -1.0 / 6, -1.0 / 6, 1.0 / 6, -1.0 / 6,
                          1.0 / 24, 1.0 / 12, 1.0 / 6, 1.0 / 24, -1.0 / 12, 1.0 / 6, 0, 0, 1]
        u.withUnsafeMutableBufferPointer { out in
            parallelFor(inputs) { input in
                var gk = [Float](repeating: 0, count: 18)   // G g: 6 x 3
                for output in 0..<outputs {
                    let k = kernel(input, output)
                    for row in 0..<6 {
                        for j in 0..<3 { gk[row * 3 + j] = g[row * 3] * k[j] + g[row * 3 + 1] * k[3 + j] + g[row * 3 + 2] * k[6 + j] }
                    }
                    for row in 0..<6 {
                        for column in 0..<6 {
                            let value = gk[row * 3] * g[column * 3] + gk[row * 3 + 1] * g[column * 3 + 1] + gk[row * 3 + 2] * g[column * 3 + 2]
                            out[((row * 6 + column) * ci + input) * co + output] = value
                        }
                    }
                }
            }
        }
        return u
    }

    /// V = B^T d B for one 6x6 patch, 16 channels at once. `patch` points at the top-left
    /// pixel's first channel; the 36 results go `xiStride` apart.
    @inline(__always)
    public static func transformInputTile(_ patch: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                                   into v: UnsafeMutablePointer<Float>, xiStride: Int) {
        typealias V16 = SIMD16<Float>
        @inline(__always) func load(_ i: Int, _ j: Int) -> V16 {
            UnsafeRawPointer(patch + i * rowStride + j * columnStride).loadUnaligned(as: V16.self)
        }
        // B^T applied to six values z0...z5 (rows of B^T: 4,0,-5,0,1,0 / 0,-4,-4,1,1,0 / 0,4,-4,-1,1,0 /
        // 0,-2,-1,2,1,0 / 0,2,-1,-2,1,0 / 0,4,0,-5,0,1).
        @inline(__always) func bt(_ z: (V16, V16, V16, V16, V16, V16)) -> (V16, V16, V16, V16, V16, V16) {
            let four: V16 = V16(repeating: 4), five = V16(repeating: 5), two = V16(repeating: 2)
            let r0 = four * z.0 - five * z.2 + z.4
            let a = z.4 - four * z.2, b = z.3 - four * z.1
            let r1 = a + b, r2 = a - b
            let c = z.4 - z.2, d = two * (z.3 - z.1)
            let r3 = c + d, r4 = c - d
            let r5 = four * z.1 - five * z.3 + z.5
            return (r0, r1, r2, r3, r4, r5)
        }
        // Columns first (B^T d), then rows ((B^T d) B): c_j is column j after the first step.
        let c0 = bt((load(0, 0), load(1, 0), load(2, 0), load(3, 0), load(4, 0), load(5, 0)))
        let c1 = bt((load(0, 1), load(1, 1), load(2, 1), load(3, 1), load(4, 1), load(5, 1)))
        let c2 = bt((load(0, 2), load(1, 2), load(2, 2), load(3, 2), load(4, 2), load(5, 2)))
        let c3 = bt((load(0, 3), load(1, 3), load(2, 3), load(3, 3), load(4, 3), load(5, 3)))
        let c4 = bt((load(0, 4), load(1, 4), load(2, 4), load(3, 4), load(4, 4), load(5, 4)))
        let c5 = bt((load(0, 5), load(1, 5), load(2, 5), load(3, 5), load(4, 5), load(5, 5)))
        @inline(__always) func store(_ i: Int, _ row: (V16, V16, V16, V16, V16, V16)) {
            let base = v + i * 6 * xiStride
            UnsafeMutableRawPointer(base).storeBytes(of: row.0, as: V16.self)
            UnsafeMutableRawPointer(base + xiStride).storeBytes(of: row.1, as: V16.self)
            UnsafeMutableRawPointer(base + 2 * xiStride).storeBytes(of: row.2, as: V16.self)
            UnsafeMutableRawPointer(base + 3 * xiStride).storeBytes(of: row.3, as: V16.self)
            UnsafeMutableRawPointer(base + 4 * xiStride).storeBytes(of: row.4, as: V16.self)
            UnsafeMutableRawPointer(base + 5 * xiStride).storeBytes(of: row.5, as: V16.self)
        }
        store(0, bt((c0.0, c1.0, c2.0, c3.0, c4.0, c5.0)))
        store(1, bt((c0.1, c1.1, c2.1, c3.1, c4.1, c5.1)))
        store(2, bt((c0.2, c1.2, c2.2, c3.2, c4.2, c5.2)))
        store(3, bt((c0.3, c1.3, c2.3, c3.3, c4.3, c5.3)))
        store(4, bt((c0.4, c1.4, c2.4, c3.4, c4.4, c5.4)))
        store(5, bt((c0.5, c1.5, c2.5, c3.5, c4.5, c5.5)))
    }

    /// Y = A^T M A for one tile, 16 output channels at once, plus the bias (`bias` points at
    /// channel 0 of a zero-padded copy), then the ReLU, or the `addend` and the `mask` (zero
    /// where the mask is not positive); writes the part of the 4x4 block that lies inside the image.
    @inline(__always)
    public static func transformOutputTile(_ m: UnsafePointer<Float>, xiStride: Int, bias: UnsafePointer<Float>, channel k: Int,
                                    output: UnsafeMutablePointer<Float>, outputChannels: Int,
                                    height: Int, width: Int, y0: Int, x0: Int, relu: Bool, mask: UnsafePointer<Float>?,
                                    addend: UnsafePointer<Float>? = nil) {
        typealias V16 = SIMD16<Float>
        @inline(__always) func load(_ i: Int, _ j: Int) -> V16 {
            UnsafeRawPointer(m + (i * 6 + j) * xiStride).loadUnaligned(as: V16.self)
        }
        // A^T (4 x 6): 1,1,1,1,1,0 / 0,1,-1,2,-2,0 / 0,1,1,4,4,0 / 0,1,-1,8,-8,1.
        @inline(__always) func at(_ z: (V16, V16, V16, V16, V16, V16)) -> (V16, V16, V16, V16) {
            let two = V16(repeating: 2), four = V16(repeating: 4), eight = V16(repeating: 8)
            let s12 = z.1 + z.2, d12 = z.1 - z.2, s34 = z.3 + z.4, d34 = z.3 - z.4
            return (z.0 + s12 + s34, d12 + two * d34, s12 + four * s34, d12 + eight * d34 + z.5)
        }
        let c0 = at((load(0, 0), load(1, 0), load(2, 0), load(3, 0), load(4, 0), load(5, 0)))
        let c1 = at((load(0, 1), load(1, 1), load(2, 1), load(3, 1), load(4, 1), load(5, 1)))
        let c2 = at((load(0, 2), load(1, 2), load(2, 2), load(3, 2), load(4, 2), load(5, 2)))
        let c3 = at((load(0, 3), load(1, 3), load(2, 3), load(3, 3), load(4, 3), load(5, 3)))
        let c4 = at((load(0, 4), load(1, 4), load(2, 4), load(3, 4), load(4, 4), load(5, 4)))
        let c5 = at((load(0, 5), load(1, 5), load(2, 5), load(3, 5), load(4, 5), load(5, 5)))
        let biasVector = UnsafeRawPointer(bias + k).loadUnaligned(as: V16.self)
        let lanes = min(16, outputChannels - k)
        @inline(__always) func store(_ i: Int, _ row: (V16, V16, V16, V16)) {
            guard y0 + i < height else { return }
            @inline(__always) func put(_ j: Int, _ value: V16) {
                guard x0 + j < width else { return }
                let offset = ((y0 + i) * width + x0 + j) * outputChannels + k
                let destination = output + offset
                var result = value + biasVector
                if relu { result.replace(with: V16(), where: result .< V16()) }
                if lanes == 16 {
                    if let addend { result += UnsafeRawPointer(addend + offset).loadUnaligned(as: V16.self) }
                    if let mask {
                        let m = UnsafeRawPointer(mask + offset).loadUnaligned(as: V16.self)
                        result.replace(with: V16(), where: m .<= V16())
                    }
                    UnsafeMutableRawPointer(destination).storeBytes(of: result, as: V16.self)
                } else if let mask {
                    for lane in 0..<lanes {
                        destination[lane] = mask[offset + lane] > 0 ? result[lane] + (addend?[offset + lane] ?? 0) : 0
                    }
                } else {
                    for lane in 0..<lanes { destination[lane] = result[lane] }
                }
            }
            put(0, row.0)
            put(1, row.1)
            put(2, row.2)
            put(3, row.3)
        }
        store(0, at((c0.0, c1.0, c2.0, c3.0, c4.0, c5.0)))
        store(1, at((c0.1, c1.1, c2.1, c3.1, c4.1, c5.1)))
        store(2, at((c0.2, c1.2, c2.2, c3.2, c4.2, c5.2)))
        store(3, at((c0.3, c1.3, c2.3, c3.3, c4.3, c5.3)))
    }
}
