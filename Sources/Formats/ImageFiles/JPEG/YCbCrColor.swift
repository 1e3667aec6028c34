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
    /// Clamping by table, as libjpeg does: entry 256 + v is v limited to 0...255, for v in
    /// -256...511, which covers every sum above (Y in 0...255 plus offsets of at most 227).
    let limit: [UInt16]

    init() {
        let centred = (0..<256).map { Int32($0) - 128 }
        redFromCr = centred.map { (Self.fixed(1.40200) * $0 + Self.half) >> Self.fractionBits }
        blueFromCb = centred.map { (Self.fixed(1.77200) * $0 + Self.half) >> Self.fractionBits }
        greenFromCb = centred.map { -Self.fixed(0.34414) * $0 + Self.half }
        greenFromCr = centred.map { -Self.fixed(0.71414) * $0 }
        limit = (-256..<512).map { UInt16(min(255, max(0, $0))) }
    }

    /// Converts one row of `count` pixels, writing R, G, B to `output`.
    @inline(__always)
    static func convert(y: UnsafePointer<UInt8>, cb: UnsafePointer<UInt8>, cr: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt16>,
                        tables: Tables) {
        let limit = tables.limit + 256
        for x in 0..<count {
            let luma = Int(y[x]), blue = Int(cb[x]), red = Int(cr[x])
            let g = luma &+ Int((tables.greenFromCb[blue] &+ tables.greenFromCr[red]) &>> fractionBits)
            output[3 &* x] = limit[luma &+ Int(tables.red[red])]
            output[3 &* x &+ 1] = limit[g]
            output[3 &* x &+ 2] = limit[luma &+ Int(tables.blue[blue])]
        }
    }

    /// The tables as plain pointers, for the loop above.
    struct Tables {
        var red, blue, greenFromCb, greenFromCr: UnsafePointer<Int32>
        var limit: UnsafePointer<UInt16>
    }

    /// Runs `body` with pointers to the tables.
    func withTables<R>(_ body: (Tables) -> R) -> R {
        redFromCr.withUnsafeBufferPointer { red in
            blueFromCb.withUnsafeBufferPointer { blue in
                greenFromCb.withUnsafeBufferPointer { greenFromCb in
                    greenFromCr.withUnsafeBufferPointer { greenFromCr in
                        limit.withUnsafeBufferPointer { limit in
                            body(Tables(red: red.baseAddress!, blue: blue.baseAddress!, greenFromCb: greenFromCb.baseAddress!,
                                        greenFromCr: greenFromCr.baseAddress!, limit: limit.baseAddress!))
                        }
                    }
                }
            }
        }
    }
}
