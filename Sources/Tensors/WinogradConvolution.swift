// The fast 3x3 convolution (stride 1, padding 1) of every VGG layer: Winograd's minimal
// filtering algorithm F(4x4, 3x3), as Lavin and Gray applied it to convolutional networks
// ("Fast Algorithms for Convolutional Neural Networks", 2015).
//
// A 4x4 block of outputs depends on a 6x6 patch of input. Computed directly, that is
// 16 x 9 = 144 multiplications per input/output channel pair. Winograd transforms the patch
// (V = B^T d B) and the kernel (U = G g G^T) into 6x6 arrays whose elementwise product,
// transformed back (Y = A^T (U * V) A), is exactly the 4x4 block: 36 multiplications, a quarter.
// Summed over input channels, the elementwise products become 36 independent matrix products
//
//     M[xi] (tiles x K) = V[xi] (tiles x C) . U[xi] (C x K),   xi = 0..<36,
//
// which the GEMM of GEMM.swift computes at close to the machine's peak. The transforms are
// additions and a few multiplications by small constants, done 16 channels at a time.
//
// The input gradient is the same operation with the kernels flipped and transposed, so the
// backward pass reuses everything. `convolutionForward`/`convolutionBackward` in
// Convolution.swift are the plain twins; tests check that they agree.
import Foundation

public final class WinogradConvolution3x3: @unchecked Sendable {
    public let inputChannels: Int
    public let outputChannels: Int
    /// The kernels as given, (K, C, 3, 3), and the bias (K).
    public let weights: Tensor
    public let bias: [Float]

    /// U for the forward pass (36 matrices of input x output channels, padded to whole
    /// vectors) and for the input gradient (from the flipped, transposed kernels). Each is
    /// computed on first use: a network run only to relu5_1 never pays for conv5_2 to conv5_4.
    public var forwardKernels: [Float] {
        cached(&cachedForward) { [inputChannels, outputChannels, weights] in
            let (c, w) = (inputChannels, weights.data)
            return WinogradConvolution3x3.transformKernels(inputs: c, outputs: outputChannels) { input, output in
                Array(w[((output * c + input) * 9)..<((output * c + input) * 9 + 9)])
            }
        }
    }

    public var backwardKernels: [Float] {
        cached(&cachedBackward) { [inputChannels, outputChannels, weights] in
            let (c, w) = (inputChannels, weights.data)
            // Input and output channels swapped, each kernel turned 180 degrees.
            return WinogradConvolution3x3.transformKernels(inputs: outputChannels, outputs: c) { input, output in
                Array(w[((input * c + output) * 9)..<((input * c + output) * 9 + 9)].reversed())
            }
        }
    }

    /// The value in `slot`, computed by `make` the first time (under a lock, so two threads
    /// never compute it twice).
    private func cached(_ slot: inout [Float]?, _ make: () -> [Float]) -> [Float] {
        lock.lock()
        defer { lock.unlock() }
        if let value = slot { return value }
        let value = make()
        slot = value
        return value
    }

    private var cachedForward: [Float]?
    private var cachedBackward: [Float]?
    private let lock = NSLock()

    /// weights (K, C, 3, 3), bias (K).
    public init(weights: Tensor, bias: Tensor) {
        precondition(weights.shape.count == 4 && weights.shape[2] == 3 && weights.shape[3] == 3, "need (K, C, 3, 3) weights")
        precondition(bias.count == weights.shape[0], "need one bias per kernel")
        outputChannels = weights.shape[0]
        inputChannels = weights.shape[1]
        self.weights = weights
        self.bias = bias.data
    }

    /// Channels rounded up to whole SIMD vectors of 16.
    @inline(__always) static func padded(_ channels: Int) -> Int { (channels + 15) / 16 * 16 }

    /// U = G g G^T for every (input, output) pair, as 36 matrices (input x output channels),
    /// each packed for the GEMM with `packColumnPanels`: `packedKernelFloats` apart.
    /// `kernel(input, output)` gives the pair's 3x3 kernel, row by row.
    static func transformKernels(inputs: Int, outputs: Int, kernel: (Int, Int) -> [Float]) -> [Float] {
        let ci = padded(inputs), co = padded(outputs)
        let u = transformKernelsRowMajor(inputs: inputs, outputs: outputs, kernel: kernel)
        let size = packedKernelFloats(ci, co)
        var packed = [Float](repeating: 0, count: 36 * size)
        u.withUnsafeBufferPointer { source in
            packed.withUnsafeMutableBufferPointer { destination in
                parallelFor(36) { xi in
                    let panels = packColumnPanels(source.baseAddress! + xi * ci * co, ldb: co, depth: ci, columns: co)
                    panels.withUnsafeBufferPointer { (destination.baseAddress! + xi * size).update(from: $0.baseAddress!, count: size) }
                }
            }
        }
        return packed
    }

    /// Floats of one packed 36th of the transformed kernels.
    static func packedKernelFloats(_ ci: Int, _ co: Int) -> Int { (co + 63) / 64 * 64 * ci }

    /// The 36 matrices [xi][input][output], row-major.
    static func transformKernelsRowMajor(inputs: Int, outputs: Int, kernel: (Int, Int) -> [Float]) -> [Float] {
        let ci = padded(inputs), co = padded(outputs)
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

    /// input (H, W, C) -> output (H, W, K). (For the image's 3 channels, a direct kernel does the
    /// work: see DirectConvolution.swift.) With `relu`, the ReLU that follows every VGG
    /// convolution is applied as each value is written, saving a pass over the output.
    public func forward(_ input: FeatureMaps, relu: Bool = false) -> FeatureMaps {
        precondition(input.channels == inputChannels, "expected \(inputChannels) input channels")
        if DirectConvolution3x3.applies(fewChannels: inputChannels, manyChannels: outputChannels) {
            return DirectConvolution3x3.forward(input, weights: weights, bias: bias, relu: relu)
        }
        return WinogradConvolution3x3.convolve(input, kernels: forwardKernels, outputChannels: outputChannels, bias: bias,
                                               relu: relu, mask: nil)
    }

    /// dL/dOutput (H, W, K) -> dL/dInput (H, W, C). With `reluOutput` (the output of the ReLU
    /// that fed this convolution), the gradient is also passed back through that ReLU: zeroed
    /// wherever the ReLU's output was not positive.
    public func backwardInput(_ dOutput: FeatureMaps, reluOutput: FeatureMaps? = nil) -> FeatureMaps {
        precondition(dOutput.channels == outputChannels, "expected \(outputChannels) gradient channels")
        if reluOutput == nil && DirectConvolution3x3.applies(fewChannels: inputChannels, manyChannels: outputChannels) {
            return DirectConvolution3x3.backwardInput(dOutput, weights: weights)
        }
        return WinogradConvolution3x3.convolve(dOutput, kernels: backwardKernels, outputChannels: inputChannels, bias: nil,
                                               relu: false, mask: reluOutput)
    }

    /// Transformed kernels up to this size (1 MB) mark a shallow layer, run per thread.
    static let smallKernelFloats = 1 << 18
    /// Each thread's V and M for a shallow layer: 1 MB, half of a level-2 cache.
    static let perThreadScratchFloats = 1 << 18
    /// V and M shared by all threads for a deep layer: at most ~24 MB each.
    static let sharedScratchFloats = 6 << 20

    static func convolve(_ input: FeatureMaps, kernels: [Float], outputChannels: Int, bias: [Float]?,
                         relu: Bool, mask: FeatureMaps?) -> FeatureMaps {
        var output = FeatureMaps(uninitializedHeight: input.height, width: input.width, channels: outputChannels)
        // The bias padded to whole vectors (zeros for the input gradient, which has none).
        var paddedBias = [Float](repeating: 0, count: padded(outputChannels))
        if let bias { for i in 0..<bias.count { paddedBias[i] = bias[i] } }
        let maskData = mask?.data ?? []
        input.data.withUnsafeBufferPointer { source in
            paddedBias.withUnsafeBufferPointer { biasBuffer in
                maskData.withUnsafeBufferPointer { maskBuffer in
                    kernels.withUnsafeBufferPointer { u in
                        output.data.withUnsafeMutableBufferPointer { out in
                            let pass = WinogradPass(input: source.baseAddress!, height: input.height, width: input.width,
                                                    channels: input.channels, kernels: u.baseAddress!, bias: biasBuffer.baseAddress!,
                                                    output: out.baseAddress!, outputChannels: outputChannels, relu: relu,
                                                    mask: mask == nil ? nil : maskBuffer.baseAddress!)
                            pass.run()
                        }
                    }
                }
            }
        }
        return output
    }

    /// V = B^T d B for one 6x6 patch, 16 channels at once. `patch` points at the top-left
    /// pixel's first channel; the 36 results go `xiStride` apart.
    @inline(__always)
    static func transformInputTile(_ patch: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
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
    /// channel 0 of a zero-padded copy); writes the part of the
    /// 4x4 block that lies inside the image.
    @inline(__always)
    static func transformOutputTile(_ m: UnsafePointer<Float>, xiStride: Int, bias: UnsafePointer<Float>, channel k: Int,
                                    output: UnsafeMutablePointer<Float>, outputChannels: Int,
                                    height: Int, width: Int, y0: Int, x0: Int, relu: Bool, mask: UnsafePointer<Float>?) {
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
                    if let mask {
                        let m = UnsafeRawPointer(mask + offset).loadUnaligned(as: V16.self)
                        result.replace(with: V16(), where: m .<= V16())
                    }
                    UnsafeMutableRawPointer(destination).storeBytes(of: result, as: V16.self)
                } else if let mask {
                    for lane in 0..<lanes { destination[lane] = mask[offset + lane] > 0 ? result[lane] : 0 }
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

/// One convolution's three steps, over runs of tiles, on raw pointers (set up by `convolve`).
struct WinogradPass {
    let input: UnsafePointer<Float>
    let height: Int, width: Int, channels: Int
    let kernels: UnsafePointer<Float>
    let bias: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let outputChannels: Int
    let relu: Bool
    let mask: UnsafePointer<Float>?

    /// Channels rounded up to whole vectors, in and out.
    var ci: Int { WinogradConvolution3x3.padded(channels) }
    var co: Int { WinogradConvolution3x3.padded(outputChannels) }
    var tilesX: Int { (width + 3) / 4 }
    var tiles: Int { (height + 3) / 4 * tilesX }

    /// Chooses how the threads share the work, then runs all the tiles.
    func run() {
        let (ci, co, tiles) = (self.ci, self.co, self.tiles)
        if 36 * WinogradConvolution3x3.packedKernelFloats(ci, co) <= WinogradConvolution3x3.smallKernelFloats {
            // Shallow layers (few channels, many tiles): each thread takes its own runs of
            // tiles and does all three steps on them, with V and M small enough to stay in
            // its level-2 cache. The transformed kernels are small and shared.
            let chunk = max(kernelRows * 8, min(512, WinogradConvolution3x3.perThreadScratchFloats / (36 * (ci + co))) / kernelRows * kernelRows)
            let chunks = (tiles + chunk - 1) / chunk
            let threads = min(kernelThreads, chunks)
            parallelFor(threads) { thread in
                let v = UnsafeMutablePointer<Float>.allocate(capacity: 36 * chunk * ci)
                let m = UnsafeMutablePointer<Float>.allocate(capacity: 36 * chunk * co)
                defer { v.deallocate(); m.deallocate() }
                for index in stride(from: thread, to: chunks, by: threads) {
                    run(first: index * chunk, count: min(chunk, tiles - index * chunk), v: v, m: m, capacity: chunk, threads: 1)
                }
            }
        } else {
            // Deep layers (many channels, few tiles): the transformed kernels are large, so
            // all threads work on the same tiles and split the 36 products between them.
            let chunk = max(1, min(tiles, WinogradConvolution3x3.sharedScratchFloats / (36 * max(ci, co))))
            let v = UnsafeMutablePointer<Float>.allocate(capacity: 36 * chunk * ci)
            let m = UnsafeMutablePointer<Float>.allocate(capacity: 36 * chunk * co)
            defer { v.deallocate(); m.deallocate() }
            var first = 0
            while first < tiles {
                let count = min(chunk, tiles - first)
                run(first: first, count: count, v: v, m: m, capacity: chunk, threads: kernelThreads)
                first += count
            }
        }
    }

    /// Steps 1 to 3 for the tiles [first, first + count), with V and M (each laid out as 36
    /// matrices of `capacity` rows) in the given scratch; `threads` share each step.
    func run(first: Int, count: Int, v: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>, capacity: Int, threads: Int) {
        let parts = min(threads, count)
        parallelFor(parts) { part in
            transformInputs(first: first, tiles: (count * part / parts)..<(count * (part + 1) / parts), into: v, capacity: capacity)
        }
        parallelFor(min(threads, 36)) { part in
            for xi in stride(from: part, to: 36, by: min(threads, 36)) { multiply(xi, count: count, v: v, m: m, capacity: capacity) }
        }
        parallelFor(parts) { part in
            transformOutputs(first: first, tiles: (count * part / parts)..<(count * (part + 1) / parts), from: m, capacity: capacity)
        }
    }

    /// 1. V = B^T d B for every tile and input channel. Tile (ty, tx) reads the 6x6 patch whose
    /// top-left pixel is (4 ty - 1, 4 tx - 1): the convolution's zero padding lies outside the
    /// image. Inner tiles are read where they lie; tiles at the border, and channels that are not
    /// whole vectors, are first copied into a small zero-padded patch.
    func transformInputs(first: Int, tiles range: Range<Int>, into v: UnsafeMutablePointer<Float>, capacity: Int) {
        let (c, ci) = (channels, self.ci)
        let staging = UnsafeMutablePointer<Float>.allocate(capacity: 36 * 16)
        defer { staging.deallocate() }
        for t in range {
            let (y0, x0) = (4 * ((first + t) / tilesX) - 1, 4 * ((first + t) % tilesX) - 1)
            let inside = y0 >= 0 && x0 >= 0 && y0 + 6 <= height && x0 + 6 <= width && c == ci
            for channel in stride(from: 0, to: ci, by: 16) {
                if inside {
                    WinogradConvolution3x3.transformInputTile(input + (y0 * width + x0) * c + channel, rowStride: width * c,
                                                              columnStride: c, into: v + t * ci + channel, xiStride: capacity * ci)
                    continue
                }
                for i in 0..<6 {
                    for j in 0..<6 {
                        let (y, x) = (y0 + i, x0 + j)
                        let cell = staging + (i * 6 + j) * 16
                        for lane in 0..<16 {
                            let k = channel + lane
                            cell[lane] = y >= 0 && y < height && x >= 0 && x < width && k < c ? input[(y * width + x) * c + k] : 0
                        }
                    }
                }
                WinogradConvolution3x3.transformInputTile(staging, rowStride: 6 * 16, columnStride: 16,
                                                          into: v + t * ci + channel, xiStride: capacity * ci)
            }
        }
    }

    /// 2. M[xi] = V[xi] U[xi] for one of the 36 positions of the transformed tile.
    func multiply(_ xi: Int, count: Int, v: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>, capacity: Int) {
        let (ci, co) = (self.ci, self.co)
        multiplyBlock(a: StridedMatrix(base: v + xi * capacity * ci, rowStride: ci),
                      b: nil, ldb: co, columns: co, c: m + xi * capacity * co, ldc: co,
                      rowStart: 0, rowEnd: count, depthStart: 0, depthEnd: ci, overwrite: true,
                      packedB: kernels + xi * WinogradConvolution3x3.packedKernelFloats(ci, co), packedDepth: ci)
    }

    /// 3. Y = A^T M A for every tile and output channel, plus the bias (and the fused ReLU or mask).
    func transformOutputs(first: Int, tiles range: Range<Int>, from m: UnsafeMutablePointer<Float>, capacity: Int) {
        let co = self.co
        for t in range {
            let (ty, tx) = ((first + t) / tilesX, (first + t) % tilesX)
            for k in stride(from: 0, to: co, by: 16) {
                WinogradConvolution3x3.transformOutputTile(m + t * co + k, xiStride: capacity * co, bias: bias, channel: k,
                                                           output: output, outputChannels: outputChannels,
                                                           height: height, width: width, y0: 4 * ty, x0: 4 * tx,
                                                           relu: relu, mask: mask)
            }
        }
    }
}
