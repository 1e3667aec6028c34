// Bringing every component back to the image's full size (ITU T.81, section A.1.1; libjpeg's
// default "fancy" upsampling).
//
// The eye sees detail in brightness far better than in colour, so encoders usually keep the
// colour components (Cb, Cr) at half the width, or half the width and half the height, of the
// brightness (Y): 4:2:2 and 4:2:0. The decoder must spread each colour sample over 2 or 4
// pixels again. Simply repeating it makes blocky colour edges; libjpeg instead lays a triangle
// filter over the samples: a pixel takes 3/4 of the nearest sample and 1/4 of the next
// nearest, across and (for 4:2:0) also down, so 9/16, 3/16, 3/16 and 1/16 of four samples.
// Doing the same, with libjpeg's rounding, makes our colours agree with what people see in
// other programs. Other ratios (4:1:1's 4 to 1, or a ratio that is not whole) repeat the
// nearest sample, as libjpeg does for the whole ratios.

/// How one component's plane is stretched to the image's size, a row at a time.
///
/// The rows are read and written through buffer pointers, checked once per row rather than
/// once per sample: this runs for every pixel of the picture.
struct ChromaUpsampler {
    enum Method: Equatable {
        /// The component is at full size.
        case full
        /// Twice as wide: a triangle filter across (libjpeg's h2v1 "fancy" upsampling).
        case triangleAcross
        /// Twice as high: a triangle filter down (h1v2).
        case triangleDown
        /// Twice as wide and twice as high: the triangle filter both ways (h2v2).
        case triangleBoth
        /// Any other ratio: each pixel takes the sample it falls in.
        case nearest
    }

    /// The plane's row length (whole blocks), and the component's real size in samples.
    let stride: Int
    let width: Int
    let height: Int
    let horizontalSampling: Int, verticalSampling: Int
    let maxHorizontalSampling: Int, maxVerticalSampling: Int
    let method: Method

    init(component: JPEGComponent, frame: JPEGFrame) {
        stride = component.blocksPerLine * 8
        width = component.width
        height = component.height
        horizontalSampling = component.horizontalSampling
        verticalSampling = component.verticalSampling
        maxHorizontalSampling = frame.maxHorizontalSampling
        maxVerticalSampling = frame.maxVerticalSampling
        let across = maxHorizontalSampling == horizontalSampling ? 1 : maxHorizontalSampling == 2 * horizontalSampling ? 2 : 0
        let down = maxVerticalSampling == verticalSampling ? 1 : maxVerticalSampling == 2 * verticalSampling ? 2 : 0
        switch (across, down) {
        case (1, 1): method = .full
        // libjpeg filters across only when there are more than two samples to filter between.
        case (2, 1) where component.width > 2: method = .triangleAcross
        case (1, 2): method = .triangleDown
        case (2, 2) where component.width > 2: method = .triangleBoth
        default: method = .nearest
        }
    }

    /// The component's values along image row `y`, `imageWidth` of them: a row of `plane` itself
    /// when the component is at full size, otherwise `scratch` filled by the filter (it must
    /// hold `imageWidth + 1` values: the filter across writes whole pairs).
    func row(_ y: Int, imageWidth: Int, plane: UnsafeBufferPointer<UInt8>, scratch: UnsafeMutableBufferPointer<UInt8>) -> UnsafePointer<UInt8> {
        precondition(y >= 0 && scratch.count > imageWidth && height * stride <= plane.count && width <= stride)
        let p = plane.baseAddress!, out = scratch.baseAddress!
        switch method {
        case .full:
            precondition(y < height && imageWidth <= width)
            return p + y * stride
        case .triangleAcross:
            precondition(y < height)
            let row = p + y * stride
            triangleAcross(imageWidth: imageWidth, shift: 2, biases: (1, 2), into: out) { Int32(row[$0]) }
        case .triangleDown:
            let (near, far, below) = nearAndFarRows(y)
            // 3/4 of the nearer row, 1/4 of the further, rounded up when the further row is below.
            let bias: Int32 = below ? 2 : 1
            let a = p + near, b = p + far
            precondition(imageWidth <= width)
            for x in 0..<imageWidth { out[x] = UInt8(truncatingIfNeeded: (3 &* Int32(a[x]) &+ Int32(b[x]) &+ bias) &>> 2) }
        case .triangleBoth:
            let (near, far, _) = nearAndFarRows(y)
            let a = p + near, b = p + far
            // Down first: column sums of 3/4 near and 1/4 far (times 4), then across them.
            triangleAcross(imageWidth: imageWidth, shift: 4, biases: (8, 7), into: out) { 3 &* Int32(a[$0]) &+ Int32(b[$0]) }
        case .nearest:
            let sourceRow = min(height - 1, y * verticalSampling / maxVerticalSampling)
            let row = p + sourceRow * stride
            precondition((imageWidth - 1) * horizontalSampling / maxHorizontalSampling < width)
            for x in 0..<imageWidth { out[x] = row[x * horizontalSampling / maxHorizontalSampling] }
        }
        return UnsafePointer(out)
    }

    /// For output row `y` of a component half as high: the plane offsets of the nearest sample
    /// row and the next nearest (above for even rows, below for odd; at the top and bottom
    /// edges the nearest row is repeated, as libjpeg does), and whether the next is below.
    private func nearAndFarRows(_ y: Int) -> (near: Int, far: Int, below: Bool) {
        let nearRow = min(height - 1, y / 2)
        let below = y % 2 == 1
        let farRow = min(height - 1, max(0, below ? nearRow + 1 : nearRow - 1))
        return (nearRow * stride, farRow * stride, below)
    }

    /// The triangle filter across a row of `width` values: pixel 2i takes 3/4 of value i and
    /// 1/4 of value i - 1, pixel 2i + 1 takes 3/4 of value i and 1/4 of value i + 1; the first
    /// and last pixels take their value alone. The sums are divided by 2^shift with libjpeg's
    /// rounding, a different bias for the left and the right pixel of each pair: (1, 2) with
    /// shift 2 across plain samples, (8, 7) with shift 4 across column sums. Writes 2 * width
    /// pixels, which may be one more than the image's width: `scratch` has room for it.
    @inline(__always)
    private func triangleAcross(imageWidth: Int, shift: Int32, biases: (left: Int32, right: Int32), into out: UnsafeMutablePointer<UInt8>,
                                value: (Int) -> Int32) {
        precondition(imageWidth <= 2 * width && width >= 2)
        let (leftBias, rightBias) = biases
        var previous = value(0), current = previous, next = value(1)
        out[0] = UInt8(truncatingIfNeeded: (4 &* current &+ leftBias) &>> shift)
        out[1] = UInt8(truncatingIfNeeded: (3 &* current &+ next &+ rightBias) &>> shift)
        for i in 1..<(width - 1) {
            previous = current
            current = next
            next = value(i + 1)
            let nearer = 3 &* current
            out[2 * i] = UInt8(truncatingIfNeeded: (nearer &+ previous &+ leftBias) &>> shift)
            out[2 * i + 1] = UInt8(truncatingIfNeeded: (nearer &+ next &+ rightBias) &>> shift)
        }
        out[2 * width - 2] = UInt8(truncatingIfNeeded: (3 &* next &+ current &+ leftBias) &>> shift)
        out[2 * width - 1] = UInt8(truncatingIfNeeded: (4 &* next &+ rightBias) &>> shift)
    }
}
