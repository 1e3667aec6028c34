// Feature maps stored channels-last, for the fast VGG path.
//
// A `Tensor` (C, H, W) keeps each feature map as one plane, which is how the article draws them
// and how the plain operations read. The fast kernels want the opposite: all C values of one
// position side by side, so one SIMD register holds 16 channels of a pixel and the 16 channels
// are transformed, pooled or multiplied together. `ChannelsLastMaps` is that layout, (H, W, C):
// position (y, x) holds C consecutive floats.
import Tensors
#if canImport(Glibc)
import Glibc
#endif

public struct ChannelsLastMaps: Equatable, Sendable {
    public var height: Int
    public var width: Int
    public var channels: Int
    public var data: [Float]

    public init(height: Int, width: Int, channels: Int, data: [Float]) {
        precondition(data.count == height * width * channels, "data count does not match the shape")
        self.height = height
        self.width = width
        self.channels = channels
        self.data = data
    }

    public init(height: Int, width: Int, channels: Int, value: Float = 0) {
        self.init(height: height, width: width, channels: channels,
                  data: [Float](repeating: value, count: height * width * channels))
    }

    /// Storage left uninitialised, for outputs that a kernel overwrites completely.
    public init(uninitializedHeight height: Int, width: Int, channels: Int) {
        self.init(height: height, width: width, channels: channels, data: uninitializedFloats(height * width * channels))
    }

    /// From a (C, H, W) tensor.
    public init(_ tensor: Tensor) {
        let (c, h, w) = (tensor.shape[0], tensor.shape[1], tensor.shape[2])
        var data = [Float](repeating: 0, count: c * h * w)
        for channel in 0..<c {
            for p in 0..<(h * w) { data[p * c + channel] = tensor.data[channel * h * w + p] }
        }
        self.init(height: h, width: w, channels: c, data: data)
    }

    /// As a (C, H, W) tensor.
    public var tensor: Tensor {
        var out = Tensor(shape: [channels, height, width])
        let n = height * width
        for channel in 0..<channels {
            for p in 0..<n { out.data[channel * n + p] = data[p * channels + channel] }
        }
        return out
    }

    public var count: Int { data.count }
}

/// An array of `count` floats whose values are whatever memory held: for buffers that are
/// written in full before being read, to skip zeroing them. A large one is offered huge pages
/// before it is first touched (`adviseHugePages`).
@inline(__always)
public func uninitializedFloats(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
        initialized = count
    }
}

/// Asks Linux to back the whole 2 MB pages inside `buffer` with huge pages (madvise
/// MADV_HUGEPAGE, which the default "madvise" setting of transparent huge pages waits for). A
/// fresh buffer of maps is otherwise filled in 4 KB pages, each a page fault on first touch: a
/// 512x512 picture painted by chapter 12's network touches about 40,000 of them, a third of its
/// time. Buffers under 4 MB, and systems without Glibc, are left as they are.
public func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
    #if canImport(Glibc)
    let huge = 2 << 20
    guard let base = buffer.baseAddress, buffer.count >= 2 * huge else { return }
    let start = (Int(bitPattern: base) + huge - 1) / huge * huge, end = (Int(bitPattern: base) + buffer.count) / huge * huge
    guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(aligned, end - start, MADV_HUGEPAGE)
    #endif
}
