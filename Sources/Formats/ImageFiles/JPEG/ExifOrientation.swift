// Which way up the camera was (Exif 2.3, tag 0x0112 "Orientation", in the APP1 "Exif" segment).
//
// A camera held on its side still stores the picture as the sensor saw it and records which
// way it was turned. Viewers turn the picture back before showing it; so does this decoder,
// so that a portrait photograph comes out upright. The eight values (figure in Exif 2.3,
// section 4.6.4 A):
//   1 as stored, 2 mirrored left to right, 3 turned 180 degrees, 4 mirrored top to bottom,
//   5 mirrored along the main diagonal (transposed), 6 to be turned 90 degrees clockwise,
//   7 mirrored along the other diagonal, 8 to be turned 90 degrees anticlockwise.

public enum ExifOrientation {
    /// The orientation in an APP1 segment's data, or nil if it holds no valid one. A damaged
    /// Exif block is ignored rather than refused: the picture is still readable.
    static func orientation(app1 d: ArraySlice<UInt8>) -> Int? {
        let b = Array(d)
        guard b.count >= 14, b[0..<6].elementsEqual([0x45, 0x78, 0x69, 0x66, 0, 0]) else { return nil }  // "Exif\0\0"
        let tiff = Array(b[6...])
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true   // "II", Intel byte order
        case (0x4D, 0x4D): little = false  // "MM", Motorola byte order
        default: return nil
        }
        func u16(_ p: Int) -> Int? {
            guard p >= 0, p + 2 <= tiff.count else { return nil }
            return little ? Int(tiff[p]) | Int(tiff[p + 1]) << 8 : Int(tiff[p]) << 8 | Int(tiff[p + 1])
        }
        func u32(_ p: Int) -> Int? {
            guard let a = u16(p), let b = u16(p + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return nil }
        for i in 0..<entries {
            let entry = ifd + 2 + 12 * i
            guard let tag = u16(entry), let type = u16(entry + 2) else { return nil }
            if tag == 0x0112 {
                guard type == 3, let value = u16(entry + 8), (1...8).contains(value) else { return nil }
                return value
            }
        }
        return nil
    }

    /// The picture as it should be shown: `image` turned and mirrored as `orientation` says.
    public static func apply(_ orientation: Int, to image: RasterImage) -> RasterImage {
        guard (2...8).contains(orientation) else { return image }
        let w = image.width, h = image.height, channels = image.color.channels
        let swaps = orientation >= 5
        let outWidth = swaps ? h : w, outHeight = swaps ? w : h
        var samples = [UInt16](repeating: 0, count: image.samples.count)
        for outY in 0..<outHeight {
            for outX in 0..<outWidth {
                // Where the shown pixel (outX, outY) lies in the stored picture.
                let (x, y): (Int, Int)
                switch orientation {
                case 2: (x, y) = (w - 1 - outX, outY)
                case 3: (x, y) = (w - 1 - outX, h - 1 - outY)
                case 4: (x, y) = (outX, h - 1 - outY)
                case 5: (x, y) = (outY, outX)
                case 6: (x, y) = (outY, h - 1 - outX)
                case 7: (x, y) = (w - 1 - outY, h - 1 - outX)
                default: (x, y) = (w - 1 - outY, outX)  // 8
                }
                let from = (y * w + x) * channels, to = (outY * outWidth + outX) * channels
                for c in 0..<channels { samples[to + c] = image.samples[from + c] }
            }
        }
        return RasterImage(width: outWidth, height: outHeight, color: image.color, maxValue: image.maxValue, samples: samples)
    }
}
