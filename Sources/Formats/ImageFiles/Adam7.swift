// Adam7 interlacing (PNG specification, section 8.2): the image is sent as seven reduced
// images, each taking every 8th, 4th or 2nd pixel from a different offset, so a viewer can
// show a coarse version early. Pass 1 takes one pixel in 64; pass 7 the odd rows.

public struct InterlacePass: Sendable {
    public var xStart: Int, yStart: Int, xStep: Int, yStep: Int

    /// The seven passes, in order.
    public static let adam7: [InterlacePass] = [
        InterlacePass(xStart: 0, yStart: 0, xStep: 8, yStep: 8),
        InterlacePass(xStart: 4, yStart: 0, xStep: 8, yStep: 8),
        InterlacePass(xStart: 0, yStart: 4, xStep: 4, yStep: 8),
        InterlacePass(xStart: 2, yStart: 0, xStep: 4, yStep: 4),
        InterlacePass(xStart: 0, yStart: 2, xStep: 2, yStep: 4),
        InterlacePass(xStart: 1, yStart: 0, xStep: 2, yStep: 2),
        InterlacePass(xStart: 0, yStart: 1, xStep: 1, yStep: 2),
    ]
    /// A non-interlaced image is a single pass over every pixel.
    public static let whole = [InterlacePass(xStart: 0, yStart: 0, xStep: 1, yStep: 1)]

    /// The size of this pass's reduced image (either may be zero: then the pass is empty and
    /// has no bytes at all, not even filter-type bytes).
    public func size(width: Int, height: Int) -> (width: Int, height: Int) {
        ((width - xStart + xStep - 1) / xStep, (height - yStart + yStep - 1) / yStep)
    }
}
