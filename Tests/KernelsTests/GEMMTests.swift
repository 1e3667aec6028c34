import XCTest
import Tensors
import Kernels

/// The GEMM against its definition, `matrixMultiplyNaive`.
final class GEMMTests: XCTestCase {
    func multiply(_ a: Tensor, _ b: Tensor, transposedA: Bool, splitDepth: Bool, overwrite: Bool, threads: Int = kernelThreads) -> Tensor {
        let (m, k, n) = (transposedA ? a.shape[1] : a.shape[0], b.shape[0], b.shape[1])
        var c = Tensor(shape: [m, n], value: 0.5)
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                c.data.withUnsafeMutableBufferPointer { pc in
                    let strided = transposedA ? StridedMatrix(base: pa.baseAddress!, rowStride: 1, depthStride: m)
                        : StridedMatrix(base: pa.baseAddress!, rowStride: k)
                    matrixMultiply(rows: m, columns: n, depth: k, a: strided, b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n,
                                   splitDepth: splitDepth, overwrite: overwrite, threads: threads)
                }
            }
        }
        return c
    }

    func testMatrixMultiplyMatchesNaive() {
        // Sizes straddling the 6 x 64 tile and the 128-deep block; A read both row-major and
        // transposed; rows or depth split between threads; C added to or overwritten.
        for (m, n, k) in [(1, 1, 1), (6, 64, 128), (7, 65, 129), (3, 100, 7), (17, 5, 300), (12, 128, 256), (50, 16, 3), (64, 64, 4096)] {
            let a = Tensor.random(shape: [m, k], seed: 1), b = Tensor.random(shape: [k, n], seed: 2)
            let aTransposed = Tensor(shape: [k, m], data: (0..<(k * m)).map { a.data[($0 % m) * k + $0 / m] })
            var plain = Tensor(shape: [m, n], value: 0.5)
            a.data.withUnsafeBufferPointer { pa in
                b.data.withUnsafeBufferPointer { pb in
                    plain.data.withUnsafeMutableBufferPointer {
                        matrixMultiplyNaive(rows: m, columns: n, depth: k, a: StridedMatrix(base: pa.baseAddress!, rowStride: k),
                                            b: pb.baseAddress!, ldb: n, c: $0.baseAddress!, ldc: n)
                    }
                }
            }
            var overwritten = plain
            for i in 0..<overwritten.count { overwritten.data[i] -= 0.5 }
            for splitDepth in [false, true] {
                assertClose(multiply(a, b, transposedA: false, splitDepth: splitDepth, overwrite: false), plain,
                            "gemm \(m)x\(n)x\(k) split depth \(splitDepth)")
                assertClose(multiply(aTransposed, b, transposedA: true, splitDepth: splitDepth, overwrite: false), plain,
                            "gemm transposed A \(m)x\(n)x\(k) split depth \(splitDepth)")
            }
            assertClose(multiply(a, b, transposedA: false, splitDepth: false, overwrite: true), overwritten, "gemm overwrite \(m)x\(n)x\(k)")
            assertClose(multiply(a, b, transposedA: false, splitDepth: false, overwrite: false, threads: 3), plain, "gemm 3 threads \(m)x\(n)x\(k)")
        }
    }
}
