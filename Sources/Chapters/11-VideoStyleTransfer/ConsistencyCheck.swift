// Where the flow can be trusted. Ruder et al. (section "Temporal consistency loss"): with w the
// forward flow (frame i-1 to frame i) and w^ the backward flow (frame i to frame i-1), a point
// of frame i that is seen in both frames travels there and back: the forward flow, fetched where
// the backward flow points, w~(x) = w(x + w^(x)), is the backward flow reversed. Where it is
// not, the point was hidden in frame i-1 (a disocclusion), or the flow is wrong:
//
//     |w~ + w^|^2 > 0.01 (|w~|^2 + |w^|^2) + 0.5.
//
// Near motion boundaries, where one object slides over another, the flow is not reliable either,
// and there the backward flow changes sharply:
//
//     |grad u^|^2 + |grad v^|^2 > 0.01 |w^|^2 + 0.002.
//
// A pixel failing either test gets weight 0 in the temporal loss, every other pixel 1. (One case
// the paper's formulas do not name: a backward flow pointing outside frame i-1, at a border the
// camera moves towards, leaves nothing there to compare; those pixels get 0 too.)

/// The reliability of the backward flow from frame i to frame i-1, one weight per pixel of
/// frame i: 1 where the previous frame's stylised pixel can be carried over, 0 where not.
public func reliability(forward: FlowField, backward: FlowField) -> [Float] {
    let (width, height) = (backward.width, backward.height)
    let returned = warpFlow(forward, by: backward)   // w~
    var weights = [Float](repeating: 1, count: width * height)
    for y in 0..<height {
        for x in 0..<width {
            let i = y * width + x
            let (bu, bv) = (backward.u[i], backward.v[i]), (fu, fv) = (returned.u[i], returned.v[i])
            // Where the backward flow leaves the frame, there is nothing to carry over.
            if backward.pointsOutside(x: x, y: y) { weights[i] = 0; continue }
            // Disocclusion: there and back does not return.
            let sum = (fu + bu) * (fu + bu) + (fv + bv) * (fv + bv)
            let lengths = fu * fu + fv * fv + bu * bu + bv * bv
            if sum > 0.01 * lengths + 0.5 { weights[i] = 0; continue }
            // Motion boundary: the backward flow's gradient, by central differences.
            let left = y * width + max(x - 1, 0), right = y * width + min(x + 1, width - 1)
            let up = max(y - 1, 0) * width + x, down = min(y + 1, height - 1) * width + x
            let (dxSpan, dySpan) = (Float(min(x + 1, width - 1) - max(x - 1, 0)), Float(min(y + 1, height - 1) - max(y - 1, 0)))
            let ux = (backward.u[right] - backward.u[left]) / dxSpan, uy = (backward.u[down] - backward.u[up]) / dySpan
            let vx = (backward.v[right] - backward.v[left]) / dxSpan, vy = (backward.v[down] - backward.v[up]) / dySpan
            if ux * ux + uy * uy + vx * vx + vy * vy > 0.01 * (bu * bu + bv * bv) + 0.002 { weights[i] = 0 }
        }
    }
    return weights
}
