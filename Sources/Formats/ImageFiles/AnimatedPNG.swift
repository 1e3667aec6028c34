import Compression

// Animated PNG (APNG, the specification that Firefox introduced and the W3C's PNG third edition
// adopted): a PNG whose first frame is the ordinary image, so a viewer that knows no animation
// still shows a picture, and whose later frames ride in chunks such viewers skip.
//
//   signature, IHDR,
//   acTL  (the number of frames, how many times to play: 0 for ever),
//   fcTL  (frame 0: its size, offset, how long it shows, how it is disposed of and blended), IDAT...,
//   fcTL  (frame 1), fdAT... (a sequence number, then the same zlib data an IDAT would hold),
//   ...,
//   IEND.
//
// fcTL and fdAT chunks share one sequence number, counting from 0, so a reader can tell that
// none is missing or out of order. Here every frame covers the whole picture and replaces the
// one before (dispose op 0, blend op 0 "source").

/// An animated PNG written one frame at a time: each frame is filtered and compressed as it is
/// added, so only the compressed frames are held, never the pictures.
public struct AnimatedPNGWriter {
    /// Every frame's size.
    public let width: Int, height: Int
    /// How long each frame shows: numerator / denominator seconds.
    public let delay: (numerator: UInt16, denominator: UInt16)
    var header: [UInt8] = []
    /// Each frame's zlib stream.
    var frames: [[UInt8]] = []

    /// An empty animation of frames `width` x `height`, shown `framesPerSecond` to the second.
    public init(width: Int, height: Int, framesPerSecond: Int) {
        precondition(width > 0 && height > 0 && (1...1000).contains(framesPerSecond))
        self.width = width
        self.height = height
        delay = (1, UInt16(framesPerSecond))
    }

    /// The frames added so far.
    public var frameCount: Int { frames.count }

    /// Adds the next frame, which must have the animation's size and the first frame's colours and depth.
    public mutating func add(_ frame: RasterImage, level: Deflate.Level = .default) {
        precondition(frame.width == width && frame.height == height, "every frame has the animation's size")
        let (frameHeader, data) = PNGEncoder.compressedImage(frame, level: level)
        if frames.isEmpty { header = frameHeader } else { precondition(frameHeader == header, "every frame has the first one's colours and depth") }
        frames.append(data)
    }

    /// The file: every frame, played for ever.
    public func encoded() -> [UInt8] {
        precondition(!frames.isEmpty, "an animation needs a frame")
        var file = PNGDecoder.signature
        PNGEncoder.appendChunk("IHDR", header, to: &file)
        var control: [UInt8] = []
        control.appendBigEndian(UInt32(frames.count))
        control.appendBigEndian(0)   // plays: 0 for ever
        PNGEncoder.appendChunk("acTL", control, to: &file)
        var sequence: UInt32 = 0
        for (index, data) in frames.enumerated() {
            var frameControl: [UInt8] = []
            frameControl.appendBigEndian(sequence)
            frameControl.appendBigEndian(UInt32(width))
            frameControl.appendBigEndian(UInt32(height))
            frameControl.appendBigEndian(0)   // x offset
            frameControl.appendBigEndian(0)   // y offset
            frameControl += [UInt8(delay.numerator >> 8), UInt8(delay.numerator & 0xFF), UInt8(delay.denominator >> 8), UInt8(delay.denominator & 0xFF)]
            frameControl += [0, 0]            // dispose op: none; blend op: source
            PNGEncoder.appendChunk("fcTL", frameControl, to: &file)
            sequence += 1
            var start = 0
            repeat {
                let end = min(start + PNGEncoder.idatChunkSize, data.count)
                if index == 0 {
                    PNGEncoder.appendChunk("IDAT", Array(data[start..<end]), to: &file)
                } else {
                    var frameData: [UInt8] = []
                    frameData.appendBigEndian(sequence)
                    PNGEncoder.appendChunk("fdAT", frameData + data[start..<end], to: &file)
                    sequence += 1
                }
                start = end
            } while start < data.count
        }
        PNGEncoder.appendChunk("IEND", [], to: &file)
        return file
    }
}
