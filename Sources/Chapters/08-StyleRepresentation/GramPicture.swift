import Tensors
import Pictures

// A Gram matrix drawn as a picture: entry (i, j) is a square, white for 0 and darker blue the
// larger G_ij is, relative to the largest entry (on a square-root scale, so that the many small
// entries are not lost beside a few large ones). The diagonal shows how strongly each feature
// responds over the whole picture; an off-diagonal square, how much features i and j occur
// together. Nothing in it says where.

/// The (C, C) matrix `gram` as an RGB picture of C x C squares, `pixelsPerEntry` pixels a side.
public func gramPicture(_ gram: Tensor, pixelsPerEntry: Int) -> FloatImage {
    precondition(gram.shape.count == 2 && gram.shape[0] == gram.shape[1], "a Gram matrix is square")
    let c = gram.shape[0], side = c * pixelsPerEntry
    let largest = max(gram.data.max() ?? 0, .leastNormalMagnitude)
    var picture = FloatImage(channels: 3, height: side, width: side)
    let plane = side * side
    for y in 0..<side {
        for x in 0..<side {
            // 0 -> white (255, 255, 255); the largest -> dark blue (20, 40, 120).
            let t = (max(0, gram[y / pixelsPerEntry, x / pixelsPerEntry]) / largest).squareRoot()
            picture.pixels[y * side + x] = 255 - t * 235
            picture.pixels[plane + y * side + x] = 255 - t * 215
            picture.pixels[2 * plane + y * side + x] = 255 - t * 135
        }
    }
    return picture
}
