// From Y, Cb, Cr back to red, green and blue (JFIF 1.02; ITU-R BT.601).
//
// JPEG stores colour as brightness Y = 0.299 R + 0.587 G + 0.114 B and two colour
// differences centred on 128, Cb (towards blue) and Cr (towards red). Inverting:
//
//     R = Y + 1.402 (Cr - 128)
//     G = Y - 0.344136 (Cb - 128) - 0.714136 (Cr - 128)
//     B = Y + 1.772 (Cb - 128)
//
// computed in 16-bit fixed point and rounded as libjpeg does, then clamped to 0...255.

struct YCbCrToRGB {
    static let fractionBits: Int32 = 16
    static let half: Int32 = 1 << (fractionBits - 1)

    static func fixed(_ x: Double) -> Int32 { Int32((x * Double(1 << fractionBits)).rounded()) }

    /// Per Cr value: R's offset. Per Cb: B's offset. G's two terms stay scaled and are added
    /// before rounding (Cb's table carries the rounding half).
    let redFromCr: [Int32]
    let blueFromCb: [Int32]
    let greenFromCb: [Int32]
    let greenFromCr: [Int32]

    init() {
        let centred = (0..<256).map { Int32($0) - 128 }
        redFromCr = centred.map { (Self.fixed(1.40200) * $0 + Self.half) >> Self.fractionBits }
        blueFromCb = centred.map { (Self.fixed(1.77200) * $0 + Self.half) >> Self.fractionBits }
        greenFromCb = centred.map { -Self.fixed(0.34414) * $0 + Self.half }
        greenFromCr = centred.map { -Self.fixed(0.71414) * $0 }
    }

    /// Converts one row of `count` pixels, writing R, G, B into `output` from `offset` on.
    @inline(__always)
    func convert(y: [Int32], cb: [Int32], cr: [Int32], count: Int, into output: UnsafeMutableBufferPointer<UInt16>, offset: Int) {
        precondition(offset >= 0 && offset + 3 * count <= output.count && y.count >= count && cb.count >= count && cr.count >= count)
        var o = offset
        for x in 0..<count {
            let luma = y[x], blue = Int(cb[x]), red = Int(cr[x])
            let g = luma + ((greenFromCb[blue] + greenFromCr[red]) >> Self.fractionBits)
            output[o] = UInt16(clamping: min(255, max(0, luma + redFromCr[red])))
            output[o + 1] = UInt16(clamping: min(255, max(0, g)))
            output[o + 2] = UInt16(clamping: min(255, max(0, luma + blueFromCb[blue])))
            o += 3
        }
    }
}
