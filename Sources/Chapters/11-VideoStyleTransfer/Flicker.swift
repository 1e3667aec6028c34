import Pictures

// How much a stylised clip flickers. A still camera over a still scene should give a still
// video; when the camera moves, each frame should be the frame before moved along. So the
// flicker between two consecutive stylised frames is what is left after the motion is undone:
// the mean squared difference between the new frame and the frame before carried over by the
// true flow, over the pixels that were in view in both.

/// The mean squared difference (RGB 0...255, per value) between `current` and `previous`
/// warped by `backward`, the true flow from the current frame to the previous one, over the
/// pixels whose point lies inside the previous frame.
public func flicker(previous: FloatImage, current: FloatImage, backward: FlowField) -> Double {
    let carried = warp(previous.rgb(), by: backward), now = current.rgb()
    let plane = current.width * current.height
    var sum = 0.0, count = 0
    for y in 0..<current.height {
        for x in 0..<current.width {
            let i = y * current.width + x
            guard !backward.pointsOutside(x: x, y: y) else { continue }
            for c in 0..<3 {
                let d = Double(now.pixels[c * plane + i] - carried.pixels[c * plane + i])
                sum += d * d
            }
            count += 3
        }
    }
    return count > 0 ? sum / Double(count) : 0
}
