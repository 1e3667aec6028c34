// How the threads share one Winograd convolution (the arithmetic is WinogradTransforms.swift's).
//
// The work comes in tiles of 4x4 outputs. For each run ("chunk") of tiles there are three
// steps: transform the input patches (V), multiply by the transformed kernels (M = V U, 36
// matrix products), transform back (Y). Two ways to share them suit VGG's two kinds of layer:
//
//  - per thread, for shallow layers (64 channels, large maps): each thread takes whole chunks
//    and does all three steps on them, so its V and M stay in its own level-2 cache;
//  - shared, for deep layers (128 to 512 channels, small maps): the transformed kernels are
//    large, so all threads work on one chunk at a time and split each step between them.
//
// `WinogradSchedule.automatic` chooses; tests also force each branch with small chunks, so
// every path (one chunk or many, either sharing) is checked at VGG's real widths.
import Parallel
import Tensors

/// How one convolution's tiles are shared between the threads.
public struct WinogradSchedule: Equatable, Sendable {
    public enum Sharing: Sendable { case perThread, shared }
    public var sharing: Sharing
    /// Tiles transformed and multiplied together (the rows of each of the 36 products).
    public var tilesPerChunk: Int
    /// The GEMM micro-kernel of the 36 products (GEMMKernel.swift): the machine's own unless a
    /// test or the benchmark asks for another.
    public var microKernel: MicroKernelShape

    public init(sharing: Sharing, tilesPerChunk: Int, microKernel: MicroKernelShape = .selected) {
        precondition(tilesPerChunk >= 1, "a chunk holds at least one tile")
        self.sharing = sharing
        self.tilesPerChunk = tilesPerChunk
        self.microKernel = microKernel
    }

    /// Transformed kernels up to this size (1 MB) mark a shallow layer, run per thread.
    static let smallKernelFloats = 1 << 18
    /// Each thread's V and M for a shallow layer: 1 MB, half of a level-2 cache.
    static let perThreadScratchFloats = 1 << 18
    /// V and M shared by all threads for a deep layer: at most ~4 MB each, so that a chunk is
    /// still in the shared level-3 cache when it is multiplied and transformed back (24 MB
    /// chunks ran conv2_2 at half the rate on a 2-core AVX2 machine).
    static let sharedScratchFloats = 1 << 20

    /// The schedule chosen for a convolution from `inputChannels` to `outputChannels` over
    /// `height` x `width` maps.
    public static func automatic(inputChannels: Int, outputChannels: Int, height: Int, width: Int) -> WinogradSchedule {
        let ci = WinogradConvolution3x3.padded(inputChannels), co = WinogradConvolution3x3.padded(outputChannels)
        let tiles = (height + 3) / 4 * ((width + 3) / 4)
        if 36 * WinogradConvolution3x3.packedKernelFloats(ci, co) <= smallKernelFloats {
            let chunk = max(kernelRows * 8, min(512, perThreadScratchFloats / (36 * (ci + co))) / kernelRows * kernelRows)
            return WinogradSchedule(sharing: .perThread, tilesPerChunk: chunk)
        }
        // Whole blocks of the micro-kernel's rows, so only a layer's last chunk has a ragged edge.
        let chunk = max(kernelRows, sharedScratchFloats / (36 * max(ci, co)) / kernelRows * kernelRows)
        return WinogradSchedule(sharing: .shared, tilesPerChunk: min(tiles, chunk))
    }

    /// How many chunks `tiles` tiles make.
    public func chunks(tiles: Int) -> Int { (tiles + tilesPerChunk - 1) / tilesPerChunk }
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
    /// A gradient added to the output before the mask (the input gradient only).
    let addend: UnsafePointer<Float>?
    /// S of a Gram matrix's gradient, packed (`GramGradientFactor`): mask x S is added as well.
    var factor: UnsafePointer<Float>? = nil
    /// Where the threads add the seconds spent on mask x S.
    var factorTimes: StageTimes? = nil

    /// Channels rounded up to whole vectors, in and out.
    var ci: Int { WinogradConvolution3x3.padded(channels) }
    var co: Int { WinogradConvolution3x3.padded(outputChannels) }
    var tilesX: Int { (width + 3) / 4 }
    var tiles: Int { (height + 3) / 4 * tilesX }

    /// Runs all the tiles the way `schedule` says.
    func run(_ schedule: WinogradSchedule) {
        let (ci, co, tiles) = (self.ci, self.co, self.tiles)
        let chunk = schedule.tilesPerChunk
        switch schedule.sharing {
        case .perThread:
            // Shallow layers (few channels, many tiles): each thread takes its own runs of
            // tiles and does all three steps on them, with V and M small enough to stay in
            // its level-2 cache. The transformed kernels are small and shared; the chunks are
            // taken in turn by whichever thread is free.
            let chunks = schedule.chunks(tiles: tiles)
            let threads = min(kernelThreads, chunks)
            let next = SharedCounter()
            parallelFor(threads) { _ in
                let v = UnsafeMutablePointer<Float>.allocate(capacity: 36 * chunk * ci)
                let m = UnsafeMutablePointer<Float>.allocate(capacity: 36 * chunk * co)
                defer { v.deallocate(); m.deallocate() }
                while let index = next.take(below: chunks) {
                    run(first: index * chunk, count: min(chunk, tiles - index * chunk), v: v, m: m, capacity: chunk, threads: 1, kernel: schedule.microKernel)
                }
            }
        case .shared:
            // Deep layers (many channels, few tiles): the transformed kernels are large, so
            // all threads work on the same tiles and split the 36 products between them.
            let v = UnsafeMutablePointer<Float>.allocate(capacity: 36 * chunk * ci)
            let m = UnsafeMutablePointer<Float>.allocate(capacity: 36 * chunk * co)
            defer { v.deallocate(); m.deallocate() }
            var first = 0
            while first < tiles {
                let count = min(chunk, tiles - first)
                run(first: first, count: count, v: v, m: m, capacity: chunk, threads: kernelThreads, kernel: schedule.microKernel)
                first += count
            }
        }
    }

    /// Steps 1 to 3 for the tiles [first, first + count), with V and M (each laid out as 36
    /// matrices of `capacity` rows) in the given scratch; `threads` share each step.
    func run(first: Int, count: Int, v: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>, capacity: Int, threads: Int,
             kernel: MicroKernelShape) {
        // With several threads, each step is cut into more pieces than threads.
        let parts = parallelPieces(count, perThread: 4, threads: threads)
        parallelFor(parts) { part in
            transformInputs(first: first, tiles: (count * part / parts)..<(count * (part + 1) / parts), into: v, capacity: capacity)
        }
        if threads == 1 {
            for xi in 0..<36 { multiply(xi, count: count, v: v, m: m, capacity: capacity, kernel: kernel) }
        } else {
            parallelFor(36) { xi in multiply(xi, count: count, v: v, m: m, capacity: capacity, kernel: kernel) }
        }
        parallelFor(parts) { part in
            transformOutputs(first: first, tiles: (count * part / parts)..<(count * (part + 1) / parts), from: m, capacity: capacity,
                             kernel: kernel)
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
                    WinogradTransforms.transformInputTile(input + (y0 * width + x0) * c + channel, rowStride: width * c,
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
                WinogradTransforms.transformInputTile(staging, rowStride: 6 * 16, columnStride: 16,
                                                          into: v + t * ci + channel, xiStride: capacity * ci)
            }
        }
    }

    /// 2. M[xi] = V[xi] U[xi] for one of the 36 positions of the transformed tile.
    func multiply(_ xi: Int, count: Int, v: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>, capacity: Int,
                  kernel: MicroKernelShape) {
        let (ci, co) = (self.ci, self.co)
        multiplyBlock(a: StridedMatrix(base: v + xi * capacity * ci, rowStride: ci),
                      b: nil, ldb: co, columns: co, c: m + xi * capacity * co, ldc: co,
                      rowStart: 0, rowEnd: count, depthStart: 0, depthEnd: ci, overwrite: true,
                      packedB: kernels + xi * WinogradConvolution3x3.packedKernelFloats(ci, co), packedDepth: ci, kernel: kernel)
    }

    /// 3. Y = A^T M A for every tile and output channel, plus the bias (and the fused ReLU or mask).
    /// With a Gram matrix's gradient (`factor`), its rows for these tiles, mask x S, are first
    /// written where Y goes and then added to Y as its addend, in the same pass.
    func transformOutputs(first: Int, tiles range: Range<Int>, from m: UnsafeMutablePointer<Float>, capacity: Int,
                          kernel: MicroKernelShape) {
        let co = self.co
        var addend = self.addend
        if let factor, !range.isEmpty {
            factorTimes.measure(.gramMatrices) { addFeaturesTimesFactor(factor, tiles: (first + range.lowerBound)..<(first + range.upperBound), kernel: kernel) }
            addend = UnsafePointer(output)
        }
        for t in range {
            let (ty, tx) = ((first + t) / tilesX, (first + t) % tilesX)
            for k in stride(from: 0, to: co, by: 16) {
                WinogradTransforms.transformOutputTile(m + t * co + k, xiStride: capacity * co, bias: bias, channel: k,
                                                           output: output, outputChannels: outputChannels,
                                                           height: height, width: width, y0: 4 * ty, x0: 4 * tx,
                                                           relu: relu, mask: mask, addend: addend)
            }
        }
    }

    /// output = mask x S (+ addend), over the pixels of the tiles `tiles` (global tile numbers):
    /// for each of their pixel rows, the run of positions they cover is one matrix product with
    /// the mask's rows (the ReLU's output, F) as A.
    func addFeaturesTimesFactor(_ factor: UnsafePointer<Float>, tiles: Range<Int>, kernel: MicroKernelShape) {
        let c = outputChannels
        let firstRow = tiles.lowerBound / tilesX, lastRow = (tiles.upperBound - 1) / tilesX
        for ty in firstRow...lastRow {
            let x0 = 4 * (ty == firstRow ? tiles.lowerBound % tilesX : 0)
            let x1 = min(width, 4 * (ty == lastRow ? (tiles.upperBound - 1) % tilesX + 1 : tilesX))
            for y in (4 * ty)..<min(height, 4 * ty + 4) {
                let start = (y * width + x0) * c, count = (x1 - x0) * c
                if let addend { (output + start).update(from: addend + start, count: count) }
                multiplyBlock(a: StridedMatrix(base: mask! + start, rowStride: c), b: nil, ldb: c, columns: c,
                              c: output + start, ldc: c, rowStart: 0, rowEnd: x1 - x0, depthStart: 0, depthEnd: c,
                              overwrite: addend == nil, packedB: factor, packedDepth: c, kernel: kernel)
            }
        }
    }
}
