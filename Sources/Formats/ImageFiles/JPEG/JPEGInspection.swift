// Looking inside a JPEG file, for Notebooks/B-jpeg.md and jpeg-demo: its markers, its frame,
// its quantisation tables, how many coefficients are zero, the Y, Cb and Cr planes at their
// own sizes, the picture rebuilt from only the first k coefficients of every block, and the
// picture as it stands after each scan of a progressive file.

/// What a JPEG file holds, as the decoder sees it.
public struct JPEGInspection: Sendable {
    public var width: Int
    public var height: Int
    public var progressive: Bool
    /// Every marker in order: its name, offset and length (for SOS with the compressed data after it).
    public var segments: [(marker: String, offset: Int, length: Int)]
    /// Each component's id, sampling factors and size in samples.
    public var components: [(id: Int, horizontalSampling: Int, verticalSampling: Int, width: Int, height: Int)]
    public var scans: Int
    /// The quantisation table of each component, row by row (natural order).
    public var quantisationTables: [[UInt16]]
    /// The share of the quantised DCT coefficients that are zero.
    public var zeroFraction: Double
    /// Each component's samples after the inverse DCT, at the component's own size, as gray pictures.
    public var planes: [RasterImage]
}

extension JPEGDecoder {
    public static func inspect(_ bytes: [UInt8]) throws -> JPEGInspection {
        var state = try readMarkers(bytes)
        let frame = state.frame!
        var zeros = 0, total = 0
        for coefficients in state.coefficients.compactMap({ $0 }) {
            zeros += coefficients.values.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            total += coefficients.values.count
        }
        var planes: [RasterImage] = []
        for (c, component) in frame.components.enumerated() {
            guard let table = state.componentQuantisation[c], let coefficients = state.coefficients[c] else { continue }
            let plane = FastInverseDCT.component(coefficients: UnsafeBufferPointer(coefficients.values), quantisation: table,
                                                 blocksPerLine: component.blocksPerLine, blockRows: component.blockRows, parallel: true)
            let stride = component.blocksPerLine * 8
            var samples: [UInt16] = []
            for y in 0..<component.height { samples += plane[(y * stride)..<(y * stride + component.width)].map(UInt16.init) }
            planes.append(RasterImage(width: component.width, height: component.height, color: .gray, samples: samples))
        }
        _ = reconstruct(&state, parallel: true)
        return JPEGInspection(width: frame.width, height: frame.height, progressive: frame.coding == .progressive, segments: state.segments,
                              components: frame.components.map { ($0.id, $0.horizontalSampling, $0.verticalSampling, $0.width, $0.height) },
                              scans: state.scans, quantisationTables: state.componentQuantisation.map { $0 ?? [] },
                              zeroFraction: Double(zeros) / Double(max(1, total)), planes: planes)
    }

    /// The picture rebuilt from only the first `count` coefficients (zig-zag order) of every
    /// block, the rest set to zero: 1 leaves each block's average, 64 the whole picture.
    public static func decode(_ bytes: [UInt8], firstCoefficients count: Int) throws -> RasterImage {
        precondition((1...64).contains(count))
        var state = try readMarkers(bytes)
        let dropped = ZigZag.naturalIndex[count...]
        for coefficients in state.coefficients.compactMap({ $0 }) {
            for block in 0..<(coefficients.blocksPerLine * coefficients.blockRows) {
                let values = coefficients.block(block)
                for position in dropped { values[position] = 0 }
            }
        }
        return reconstruct(&state, parallel: true)
    }

    /// The picture as it stands after each scan: for a progressive file, a coarse picture that
    /// sharpens scan by scan; for a sequential one, components appearing one by one if they
    /// come in scans of their own.
    public static func decodeScanByScan(_ bytes: [UInt8]) throws -> [RasterImage] {
        var pictures: [RasterImage] = []
        _ = try readMarkers(bytes) { state in
            var copy = state
            pictures.append(reconstruct(&copy, parallel: true, freeing: false))
        }
        return pictures
    }
}
