// Winograd's F(4x4, 3x3) for one tile, written from its matrices: the plain twin of the SIMD
// transforms in WinogradTransforms.swift, to read before them.
//
// A 3x3 convolution (stride 1) turns a 6x6 patch d of the input into a 4x4 block y of the
// output: y[i][j] = sum over u, v of d[i + u][j + v] * g[u][v], 144 multiplications. Winograd's
// minimal filtering algorithm (Lavin and Gray 2015, after Winograd 1980) gets the same block as
//
//     y = A^T [ (G g G^T) * (B^T d B) ] A            (* is the elementwise product)
//
// with 36 multiplications: each of the three transforms only adds and multiplies by small
// constants, and the kernel's transform U = G g G^T is computed once per layer, not per tile.
// The matrices below come from polynomial interpolation at the points 0, 1, -1, 2, -2 and
// infinity. In a convolutional layer the elementwise products are summed over the input
// channels, which turns them into 36 matrix products (see WinogradConvolution.swift).
import Tensors

public enum WinogradTile {
    /// B^T (6 x 6): turns a 6x6 input patch d into V = B^T d B.
    public static let inputTransform: [[Float]] = [
        [4, 0, -5, 0, 1, 0],
        [0, -4, -4, 1, 1, 0],
        [0, 4, -4, -1, 1, 0],
        [0, -2, -1, 2, 1, 0],
        [0, 2, -1, -2, 1, 0],
        [0, 4, 0, -5, 0, 1],
    ]

    /// G (6 x 3): turns a 3x3 kernel g into U = G g G^T.
    public static let kernelTransform: [[Float]] = [
        [1.0 / 4, 0, 0],
        [-1.0 / 6, -1.0 / 6, -1.0 / 6],
        [-1.0 / 6, 1.0 / 6, -1.0 / 6],
        [1.0 / 24, 1.0 / 12, 1.0 / 6],
        [1.0 / 24, -1.0 / 12, 1.0 / 6],
        [0, 0, 1],
    ]

    /// A^T (4 x 6): turns the 6x6 product M back into the 4x4 output block Y = A^T M A.
    public static let outputTransform: [[Float]] = [
        [1, 1, 1, 1, 1, 0],
        [0, 1, -1, 2, -2, 0],
        [0, 1, 1, 4, 4, 0],
        [0, 1, -1, 8, -8, 1],
    ]

    /// The matrix product of an n x k and a k x m matrix.
    public static func multiply(_ a: [[Float]], _ b: [[Float]]) -> [[Float]] {
        let (n, k, m) = (a.count, b.count, b[0].count)
        precondition(a.allSatisfy { $0.count == k }, "inner sizes differ")
        var c = [[Float]](repeating: [Float](repeating: 0, count: m), count: n)
        for i in 0..<n {
            for j in 0..<m {
                for p in 0..<k { c[i][j] += a[i][p] * b[p][j] }
            }
        }
        return c
    }

    public static func transpose(_ a: [[Float]]) -> [[Float]] {
        (0..<a[0].count).map { j in a.map { $0[j] } }
    }

    /// V = B^T d B, for a 6x6 patch d.
    public static func transformInput(_ d: [[Float]]) -> [[Float]] {
        multiply(multiply(inputTransform, d), transpose(inputTransform))
    }

    /// U = G g G^T, for a 3x3 kernel g.
    public static func transformKernel(_ g: [[Float]]) -> [[Float]] {
        multiply(multiply(kernelTransform, g), transpose(kernelTransform))
    }

    /// Y = A^T M A, for a 6x6 M.
    public static func transformOutput(_ m: [[Float]]) -> [[Float]] {
        multiply(multiply(outputTransform, m), transpose(outputTransform))
    }

    /// The 4x4 outputs of a 3x3 kernel over a 6x6 patch, by Winograd's route: transform both,
    /// multiply elementwise (the only 36 multiplications that involve the data), transform back.
    public static func convolve(patch d: [[Float]], kernel g: [[Float]]) -> [[Float]] {
        let u = transformKernel(g), v = transformInput(d)
        let m = (0..<6).map { i in (0..<6).map { j in u[i][j] * v[i][j] } }
        return transformOutput(m)
    }

    /// The same 4x4 outputs by the definition: y[i][j] = sum over u, v of d[i + u][j + v] g[u][v].
    public static func convolveDirectly(patch d: [[Float]], kernel g: [[Float]]) -> [[Float]] {
        (0..<4).map { i in
            (0..<4).map { j in
                var sum: Float = 0
                for u in 0..<3 {
                    for v in 0..<3 { sum += d[i + u][j + v] * g[u][v] }
                }
                return sum
            }
        }
    }
}
