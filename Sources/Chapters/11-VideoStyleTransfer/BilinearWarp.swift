import Pictures

// Warping: moving a picture along a flow. The warped picture W(x, y) = P(x + u, y + v) takes
// each pixel from where the flow says the same point lies in P. Those places fall between
// pixel centres, so the value is interpolated bilinearly from the four pixels around it.

/// The value of one channel of `picture` at the point (x, y) between pixel centres, from the
/// four pixels around it; points outside take the nearest edge's values.
public func bilinearSample(_ picture: FloatImage, channel: Int, x: Float, y: Float) -> Float {
    let (width, height) = (picture.width, picture.height)
    let cx = min(max(x, 0), Float(width - 1)), cy = min(max(y, 0), Float(height - 1))
    let x0 = min(Int(cx), width - 1), y0 = min(Int(cy), height - 1)
    let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
    let fx = cx - Float(x0), fy = cy - Float(y0)
    let base = channel * height * width
    let top = picture.pixels[base + y0 * width + x0] * (1 - fx) + picture.pixels[base + y0 * width + x1] * fx
    let bottom = picture.pixels[base + y1 * width + x0] * (1 - fx) + picture.pixels[base + y1 * width + x1] * fx
    return top * (1 - fy) + bottom * fy
}

/// `picture` moved along `flow`: at each pixel of the flow's frame, the picture's value where
/// the flow points. With the backward flow from frame i to frame i-1, the previous stylised
/// frame becomes a picture aligned with frame i: the paper's omega.
public func warp(_ picture: FloatImage, by flow: FlowField) -> FloatImage {
    precondition(picture.width == flow.width && picture.height == flow.height, "a picture warps by a flow of its own shape")
    var warped = FloatImage(channels: picture.channels, height: flow.height, width: flow.width)
    let plane = flow.width * flow.height
    for y in 0..<flow.height {
        for x in 0..<flow.width {
            let i = y * flow.width + x
            let sx = Float(x) + flow.u[i], sy = Float(y) + flow.v[i]
            for c in 0..<picture.channels { warped.pixels[c * plane + i] = bilinearSample(picture, channel: c, x: sx, y: sy) }
        }
    }
    return warped
}

/// A flow moved along another: at each pixel x of `along`'s frame, `flow`'s vector at
/// x + along(x). The consistency check uses it to bring the forward flow to the new frame.
public func warpFlow(_ flow: FlowField, by along: FlowField) -> FlowField {
    let planes = FloatImage(channels: 2, height: flow.height, width: flow.width, pixels: flow.u + flow.v)
    let moved = warp(planes, by: along)
    let plane = flow.width * flow.height
    return FlowField(width: flow.width, height: flow.height, u: Array(moved.pixels[0..<plane]), v: Array(moved.pixels[plane...]))
}
