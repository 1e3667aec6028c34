import Pictures

// Coarse to fine. The Horn-Schunck equations are linearised: they hold only for motions of
// about a pixel. A motion of ten pixels is one of a pixel and a quarter three halvings down, so
// the flow is first found on small copies of the frames and then refined, level by level, on
// larger ones: each level starts from the coarser level's flow, enlarged and doubled.

/// A frame's brightness, 0...1, as one channel: BT.601 luminance of RGB 0...255.
public func brightness(_ frame: FloatImage) -> FloatImage {
    let rgb = frame.rgb(), plane = frame.width * frame.height
    var grey = FloatImage(channels: 1, height: frame.height, width: frame.width)
    for i in 0..<plane {
        grey.pixels[i] = (0.299 * rgb.pixels[i] + 0.587 * rgb.pixels[plane + i] + 0.114 * rgb.pixels[2 * plane + i]) / 255
    }
    return grey
}

/// The picture blurred by the binomial filter [1 4 6 4 1] / 16 along each axis (close to a
/// Gaussian of standard deviation 1), edges repeated: derivatives of a smoothed picture are
/// steadier, and a picture is blurred before it is halved so that no detail aliases.
public func binomialBlur(_ picture: FloatImage) -> FloatImage {
    let taps: [Float] = [1, 4, 6, 4, 1].map { $0 / 16 }
    let (width, height) = (picture.width, picture.height)
    var rows = picture, out = picture
    for c in 0..<picture.channels {
        let base = c * width * height
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for k in -2...2 { sum += taps[k + 2] * picture.pixels[base + y * width + min(max(x + k, 0), width - 1)] }
                rows.pixels[base + y * width + x] = sum
            }
        }
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for k in -2...2 { sum += taps[k + 2] * rows.pixels[base + min(max(y + k, 0), height - 1) * width + x] }
                out.pixels[base + y * width + x] = sum
            }
        }
    }
    return out
}

/// The picture blurred and halved: every second pixel of the blurred picture (odd sizes round up).
public func halved(_ picture: FloatImage) -> FloatImage {
    let blurred = binomialBlur(picture)
    let (width, height) = ((picture.width + 1) / 2, (picture.height + 1) / 2)
    var out = FloatImage(channels: picture.channels, height: height, width: width)
    for c in 0..<picture.channels {
        for y in 0..<height {
            for x in 0..<width {
                out.pixels[(c * height + y) * width + x] = blurred.pixels[(c * picture.height + 2 * y) * picture.width + 2 * x]
            }
        }
    }
    return out
}

/// The frames at each level, the full size first, halved until the shorter side would drop
/// below `smallest` pixels, at most `levels` of them.
public func pyramid(_ picture: FloatImage, levels: Int, smallest: Int = 16) -> [FloatImage] {
    var levelsMade = [picture]
    while levelsMade.count < levels, min(levelsMade.last!.width, levelsMade.last!.height) / 2 >= smallest {
        levelsMade.append(halved(levelsMade.last!))
    }
    return levelsMade
}

/// A coarse level's flow brought to the finer level it was halved from (`width` x `height`):
/// fine pixel (x, y) is coarse point (x / 2, y / 2), as `halved` keeps every second pixel, and
/// each vector, measured in coarse pixels, doubles.
public func enlarged(_ flow: FlowField, width: Int, height: Int) -> FlowField {
    let planes = FloatImage(channels: 2, height: flow.height, width: flow.width, pixels: flow.u + flow.v)
    var result = FlowField(width: width, height: height)
    for y in 0..<height {
        for x in 0..<width {
            let cx = Float(x) / 2, cy = Float(y) / 2
            result.u[y * width + x] = 2 * bilinearSample(planes, channel: 0, x: cx, y: cy)
            result.v[y * width + x] = 2 * bilinearSample(planes, channel: 1, x: cx, y: cy)
        }
    }
    return result
}
