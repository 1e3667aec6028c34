import Pictures

// "Preserving Color in Neural Artistic Style Transfer" (Gatys, Bethge, Hertzmann and
// Shechtman, 2016): a stylised photo takes the painting's colours along with its strokes. To
// keep the photo's own colours, split each pixel into its luminance (how bright it is) and its
// colour differences, and keep the stylised luminance with the photo's colour differences.
// This is the recombination neural-style's --original_colors performs after the optimisation
// (`ColourPreservation.afterwards`); ColourControl.swift has the paper's two ways that prepare
// the pictures before it.

/// Luminance as television measures it (ITU-R BT.601), on 0...255 RGB.
@inline(__always)
public func luminance(_ r: Float, _ g: Float, _ b: Float) -> Float { 0.299 * r + 0.587 * g + 0.114 * b }

/// `stylised` with the colours of `content` (both RGB, same size): each pixel keeps the stylised
/// luminance Y and takes the content's colour differences R - Y and B - Y; G follows from Y.
public func withOriginalColors(_ stylised: FloatImage, content: FloatImage) -> FloatImage {
    precondition(stylised.channels == 3 && content.channels == 3, "need RGB pictures")
    precondition(stylised.width == content.width && stylised.height == content.height, "need pictures of one size")
    let plane = stylised.width * stylised.height
    var result = stylised
    for i in 0..<plane {
        let y = luminance(stylised.pixels[i], stylised.pixels[plane + i], stylised.pixels[2 * plane + i])
        let (r, g, b) = (content.pixels[i], content.pixels[plane + i], content.pixels[2 * plane + i])
        let contentY = luminance(r, g, b)
        let red = y + (r - contentY), blue = y + (b - contentY)
        result.pixels[i] = red
        result.pixels[plane + i] = (y - 0.299 * red - 0.114 * blue) / 0.587
        result.pixels[2 * plane + i] = blue
    }
    return result
}
