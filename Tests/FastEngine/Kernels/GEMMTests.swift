import SeededRandom
import XCTest
import Parallel
import Tensors
import TestSupport
import Kernels

/// The GEMM against its definition, `matrixMultiplyNaive`, with every micro-kernel shape (the
/// ones this CPU lacks too: they are slow there, not wrong).
final class GEMMTests: XCTestCase {
    func multiply(_ a: Tensor, _ b: Tensor, transposedA: Bool, overwrite: Bool, threads: Int = kernelThreads,
                  kernel: MicroKernelShape) -> Tensor {
        let (m, k, n) = (transposedA ? a.shape[1] : a.shape[0], b.shape[0], b.shape[1])
        var c = Tensor(shape: [m, n], value: 0.5)
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                c.data.withUnsafeMutableBufferPointer { pc in
                    let strided = transposedA ? StridedMatrix(base: pa.baseAddress!, rowStride: 1, depthStride: m)
                        : StridedMatrix(base: pa.baseAddress!, rowStride: k)
                    matrixMultiply(rows: m, columns: n, depth: k, a: strided, b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n,
                                   overwrite: overwrite, threads: threads, kernel: kernel)
                }
            }
        }
        return c
    }

    func testMatrixMultiplyMatchesNaive() {
        for kernel in MicroKernelShape.allCases { check(kernel) }
    }

    /// Sizes straddling the 6 x 16 and 6 x 64 tiles and the 128-deep block (a width of 40 ends
    /// inside a 16-column slice); A read both row-major and transposed; rows split between
    /// threads; C added to or overwritten.
    func check(_ kernel: MicroKernelShape) {
        for (m, n, k) in [(1, 1, 1), (6, 64, 128), (7, 65, 129), (3, 100, 7), (17, 5, 300), (12, 128, 256), (50, 16, 3), (64, 64, 4096), (13, 40, 130), (6, 16, 1)] {
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
            assertClose(multiply(a, b, transposedA: false, overwrite: false, kernel: kernel), plain, "\(kernel) gemm \(m)x\(n)x\(k)")
            assertClose(multiply(aTransposed, b, transposedA: true, overwrite: false, kernel: kernel), plain,
                        "\(kernel) gemm transposed A \(m)x\(n)x\(k)")
            assertClose(multiply(a, b, transposedA: false, overwrite: true, kernel: kernel), overwritten,
                        "\(kernel) gemm overwrite \(m)x\(n)x\(k)")
            assertClose(multiply(a, b, transposedA: false, overwrite: false, threads: 3, kernel: kernel), plain,
                        "\(kernel) gemm 3 threads \(m)x\(n)x\(k)")
        }
    }

    /// The choice of shape: from the CPU's flags and the build's target, or forced by name.
    func testMicroKernelChoice() {
        let avx512 = ProcessorFeatures(architecture: "x86_64", avx512: true, avx2: true, fma: true)
        let avx2 = ProcessorFeatures(architecture: "x86_64", avx2: true, fma: true)
        XCTAssertEqual(avx512.bestShape, .avx512)
        XCTAssertEqual(avx2.bestShape, .avx2)
        XCTAssertEqual(ProcessorFeatures(architecture: "x86_64", avx2: true).bestShape, .plain, "AVX2 without FMA")
        XCTAssertEqual(ProcessorFeatures(architecture: "x86_64", avx512: true, avx2: true, fma: true, buildExcludesAVX512: true).bestShape,
                       .avx2, "an AVX-512 machine building for haswell")
        XCTAssertEqual(ProcessorFeatures(architecture: "x86_64", avx512: true, avx2: true, fma: true, buildExcludesAVX2: true).bestShape,
                       .plain, "building for x86-64")
        XCTAssertEqual(ProcessorFeatures(architecture: "arm64").bestShape, .neon)
        XCTAssertEqual(ProcessorFeatures(architecture: "riscv64").bestShape, .plain)
        XCTAssertEqual(MicroKernelShape.choose(environment: nil, processor: avx2).shape, .avx2)
        XCTAssertEqual(MicroKernelShape.choose(environment: "", processor: avx512).shape, .avx512)
        XCTAssertEqual(MicroKernelShape.choose(environment: "NEON", processor: avx512).shape, .neon)
        let unknown = MicroKernelShape.choose(environment: "avx1024", processor: avx2)
        XCTAssertEqual(unknown.shape, .avx2)
        XCTAssertTrue(unknown.reason.contains("avx1024"), unknown.reason)
        let flags = ProcessorFeatures.parseCPUInfoFlags("processor\t: 0\nflags\t\t: fpu sse2 avx2 fma bmi2\n\nprocessor\t: 1\nflags\t: avx512f\n")
        XCTAssertEqual(flags, ["fpu", "sse2", "avx2", "fma", "bmi2"])
        XCTAssertEqual(MicroKernelShape.allCases.map(\.columns), [64, 16, 16, 16])
    }
}
