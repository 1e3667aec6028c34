import Foundation
import Dispatch

// Reading JPEG (ITU T.81 | ISO/IEC 10918-1, with JFIF and Exif): baseline and extended
// sequential and progressive Huffman-coded files with 8-bit samples, gray or YCbCr (or RGB),
// any sampling factors, restart intervals, and the Exif orientation applied.
//
// Decoding runs in two stages, the same for every kind of file:
//  1. Entropy decoding: the markers are read in order; tables are kept as they are defined,
//     and every scan's Huffman codes become quantised DCT coefficients, 64 per 8x8 block,
//     stored for the whole image (a progressive file adds to them scan after scan).
//  2. Reconstruction: each block's coefficients times the quantisation table, through the
//     inverse DCT, become samples; colour components are stretched to full size; Y, Cb, Cr
//     become R, G, B; and the picture is turned upright.
//
// Not read, each refused with a message that says so: arithmetic coding, lossless and
// hierarchical files, 12-bit samples, and four components (CMYK, YCCK).

public enum JPEGDecoder {
    /// More scans than any sensible progressive file holds (libjpeg's tools suggest the same
    /// bound): a file of thousands of tiny scans would otherwise make every one of them walk
    /// every block of the image.
    public static let maxScans = 1000

    /// Decodes a whole JPEG file. With `parallel` (the default) the inverse DCT and the colour
    /// conversion share the work out to every core; entropy decoding is sequential by nature.
    public static func decode(_ bytes: [UInt8], parallel: Bool = true) throws -> RasterImage {
        var state = try readMarkers(bytes)
        return reconstruct(&state, parallel: parallel)
    }

    /// Runs `body` for 0..<count, on every core (Dispatch's) if `parallel`. Dispatch, not the
    /// engine's thread pool: a program that only reads and writes pictures builds no engine.
    static func forEach(_ count: Int, parallel: Bool, _ body: (Int) -> Void) {
        if parallel && count > 1 { DispatchQueue.concurrentPerform(iterations: count, execute: body) } else { for i in 0..<count { body(i) } }
    }

    /// What the markers have said so far, and the coefficients the scans have decoded.
    struct DecodingState {
        var frame: JPEGFrame?
        var quantisation: [[UInt16]?] = [nil, nil, nil, nil]
        var dcTables: [JPEGHuffmanTable?] = [nil, nil, nil, nil]
        var acTables: [JPEGHuffmanTable?] = [nil, nil, nil, nil]
        var restartInterval = 0
        var orientation = 1
        var sawJFIF = false
        var adobeTransform: Int?
        var scans = 0
        /// Per component: its coefficients (empty until its first scan), the quantisation table
        /// in force at that scan (T.81 B.2.4.1), and whether its DC coefficients have been decoded.
        var coefficients: [ComponentCoefficients?] = []
        var componentQuantisation: [[UInt16]?] = []
        var hasDC: [Bool] = []
        /// Every marker met: its name, its offset, and its length with any compressed data after it.
        var segments: [(marker: String, offset: Int, length: Int)] = []
    }

    static func markerName(_ code: UInt8) -> String {
        switch code {
        case 0xC0...0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF: return "SOF\(code - 0xC0)"
        case 0xC4: return "DHT"
        case 0xCC: return "DAC"
        case 0xD0...0xD7: return "RST\(code - 0xD0)"
        case 0xD8: return "SOI"
        case 0xD9: return "EOI"
        case 0xDA: return "SOS"
        case 0xDB: return "DQT"
        case 0xDC: return "DNL"
        case 0xDD: return "DRI"
        case 0xE0...0xEF: return "APP\(code - 0xE0)"
        case 0xFE: return "COM"
        default: return String(format: "FF%02X", Int(code))
        }
    }

    /// Stage 1: walks the markers from SOI to EOI, decoding each scan as it comes.
    static func readMarkers(_ bytes: [UInt8], afterEachScan: ((DecodingState) -> Void)? = nil) throws -> DecodingState {
        guard bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else { throw JPEGError.notJPEG }
        var state = DecodingState()
        var p = 2
        while true {
            guard p < bytes.count else { throw JPEGError.truncated(state.scans == 0 ? "no scan before the end" : "no EOI marker after scan \(state.scans)") }
            guard bytes[p] == 0xFF else {
                throw JPEGError.badMarker(String(format: "expected a marker (FF), found %02X", Int(bytes[p])), offset: p)
            }
            var q = p + 1
            while q < bytes.count && bytes[q] == 0xFF { q += 1 }  // fill bytes
            guard q < bytes.count else { throw JPEGError.truncated("inside a marker") }
            let code = bytes[q], name = markerName(code), at = p
            p = q + 1
            state.segments.append((name, at, 2))
            switch code {
            case 0xD9:
                guard state.frame != nil else { throw JPEGError.missingFrame }
                guard state.scans > 0 else { throw JPEGError.missingScans }
                return state
            case 0x01:
                continue  // TEM: a marker without a segment
            case 0x00, 0xD0...0xD8:
                throw JPEGError.badMarker("\(name) outside a scan", offset: at)
            default:
                break
            }
            // Every other marker starts a segment: a 2-byte length (counting itself), then data.
            guard p + 2 <= bytes.count else { throw JPEGError.truncated("inside the \(name) segment's length") }
            let length = Int(bytes[p]) << 8 | Int(bytes[p + 1])
            guard length >= 2 else { throw JPEGError.badSegment(marker: name, reason: "length \(length), at least 2") }
            guard p + length <= bytes.count else { throw JPEGError.truncated("inside the \(name) segment at byte \(at)") }
            let segment = bytes[(p + 2)..<(p + length)]
            p += length
            state.segments[state.segments.count - 1].length = p - at
            switch code {
            case 0xC0, 0xC1, 0xC2:
                guard state.frame == nil else { throw JPEGError.badSegment(marker: name, reason: "a second frame header") }
                let frame = try JPEGFrame(marker: code, segment: segment)
                state.frame = frame
                state.coefficients = Array(repeating: nil, count: frame.components.count)
                state.componentQuantisation = Array(repeating: nil, count: frame.components.count)
                state.hasDC = Array(repeating: false, count: frame.components.count)
            case 0xC3: throw JPEGError.unsupported("lossless coding (SOF3)")
            case 0xC5, 0xC6, 0xC7: throw JPEGError.unsupported("hierarchical coding (\(name))")
            case 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF, 0xCC: throw JPEGError.unsupported("arithmetic coding (\(name))")
            case 0xF7: throw JPEGError.unsupported("JPEG-LS (SOF55)")
            case 0xDC: throw JPEGError.unsupported("a DNL marker (height given after the first scan)")
            case 0xC4:
                for (isAC, number, table) in try parseHuffmanTables(segment) {
                    if isAC { state.acTables[number] = table } else { state.dcTables[number] = table }
                }
            case 0xDB:
                for (number, table) in try parseQuantisationTables(segment) { state.quantisation[number] = table }
            case 0xDD:
                guard segment.count == 2 else { throw JPEGError.badSegment(marker: "DRI", reason: "\(segment.count) bytes, 2 expected") }
                state.restartInterval = Int(segment[segment.startIndex]) << 8 | Int(segment[segment.startIndex + 1])
            case 0xE0:
                if segment.starts(with: [0x4A, 0x46, 0x49, 0x46, 0]) { state.sawJFIF = true }  // "JFIF\0"
            case 0xE1:
                if let orientation = ExifOrientation.orientation(app1: segment) { state.orientation = orientation }
            case 0xEE:
                // "Adobe", version, flags0, flags1, transform: 0 means the three components are RGB.
                if segment.count >= 12 && segment.starts(with: [0x41, 0x64, 0x6F, 0x62, 0x65]) {
                    state.adobeTransform = Int(segment[segment.startIndex + 11])
                }
            case 0xDA:
                p = try decodeScan(bytes, header: segment, dataStart: p, state: &state)
                state.segments[state.segments.count - 1].length = p - at
                afterEachScan?(state)
            default:
                break  // other APPn, COM and reserved segments carry nothing the picture needs
            }
        }
    }

    /// Decodes one scan into the coefficients; returns the offset of the marker after its data.
    static func decodeScan(_ bytes: [UInt8], header: ArraySlice<UInt8>, dataStart: Int, state: inout DecodingState) throws -> Int {
        guard let frame = state.frame else { throw JPEGError.missingFrame }
        state.scans += 1
        guard state.scans <= maxScans else { throw JPEGError.unsupported("more than \(maxScans) scans") }
        let scan = try JPEGScanHeader(segment: header, frame: frame)
        let data = EntropyCodedData(file: bytes, from: dataStart)
        let startsDC = frame.coding == .sequential || scan.spectralStart == 0
        for c in scan.components where !startsDC && !state.hasDC[c] {
            throw JPEGError.badSegment(marker: "SOS", reason: "scan \(state.scans) codes AC coefficients of component \(frame.components[c].id) before its DC scan")
        }
        let mcus = frame.mcus(of: scan)
        let blocksCoded = mcus.across * mcus.down * mcus.blocksEach
        // A scan that codes DC coefficients spends at least a bit on every block, so its data
        // must be that long: checked before the coefficients are allocated.
        if startsDC && data.bytes.count * 8 < blocksCoded {
            throw data.reachedEndOfFile ? JPEGError.truncatedScan(scan: state.scans)
                : JPEGError.corruptData(scan: state.scans, reason: "\(data.bytes.count) bytes cannot code \(blocksCoded) blocks")
        }
        if state.coefficients.allSatisfy({ $0 == nil }) {
            // SOF gave the picture's size: its coefficients and decoded samples must fit in memory.
            let blocks = frame.components.reduce(0) { $0 + $1.blocksPerLine * $1.blockRows }
            try ImageLimits.checkMemory(bytes: blocks * 64 * 2 + frame.width * frame.height * frame.components.count * 2)
        }
        for c in scan.components where state.coefficients[c] == nil {
            let component = frame.components[c]
            guard let table = state.quantisation[component.quantisationTable] else {
                throw JPEGError.badSegment(marker: "SOS", reason: "component \(component.id) uses quantisation table \(component.quantisationTable), which no DQT defined")
            }
            state.componentQuantisation[c] = table
            state.coefficients[c] = ComponentCoefficients(blocksPerLine: component.blocksPerLine, blockRows: component.blockRows)
        }
        var decoder = try JPEGScanDecoder(frame: frame, scan: scan, number: state.scans, dcTables: state.dcTables, acTables: state.acTables,
                                          coefficients: scan.components.map { state.coefficients[$0]! })
        try decoder.decode(data, restartInterval: state.restartInterval)
        if startsDC { for c in scan.components { state.hasDC[c] = true } }
        return data.end
    }

    /// Stage 2: coefficients to samples to pixels.
    static func reconstruct(_ state: inout DecodingState, parallel: Bool, freeing: Bool = true) -> RasterImage {
        let frame = state.frame!
        var planes: [[UInt8]] = []
        for (c, component) in frame.components.enumerated() {
            if let table = state.componentQuantisation[c], let coefficients = state.coefficients[c] {
                planes.append(FastInverseDCT.component(coefficients: UnsafeBufferPointer(coefficients.values), quantisation: table,
                                                       blocksPerLine: component.blocksPerLine, blockRows: component.blockRows, parallel: parallel))
            } else {
                // A component no scan coded: mid-gray, as its coefficients are all zero.
                planes.append([UInt8](repeating: 128, count: component.blocksPerLine * component.blockRows * 64))
            }
            if freeing { state.coefficients[c] = nil }  // free as we go
        }
        let image: RasterImage
        if frame.components.count == 1 {
            let stride = frame.components[0].blocksPerLine * 8
            var samples = [UInt16](repeating: 0, count: frame.width * frame.height)
            for y in 0..<frame.height {
                for x in 0..<frame.width { samples[y * frame.width + x] = UInt16(planes[0][y * stride + x]) }
            }
            image = RasterImage(width: frame.width, height: frame.height, color: .gray, samples: samples)
        } else {
            image = colourImage(frame: frame, planes: planes, isRGB: storesRGB(state), parallel: parallel)
        }
        return ExifOrientation.apply(state.orientation, to: image)
    }

    /// Whether three components hold R, G, B rather than Y, Cb, Cr (libjpeg's rules: JFIF
    /// means YCbCr; an Adobe segment says so with its transform flag; else component ids
    /// "R", "G", "B").
    static func storesRGB(_ state: DecodingState) -> Bool {
        if state.sawJFIF { return false }
        if let transform = state.adobeTransform { return transform == 0 }
        return state.frame!.components.map(\.id) == [0x52, 0x47, 0x42]
    }

    /// Upsamples the three planes and converts them to RGB, in bands of rows on every core.
    static func colourImage(frame: JPEGFrame, planes: [[UInt8]], isRGB: Bool, parallel: Bool) -> RasterImage {
        let width = frame.width, height = frame.height
        let upsamplers = frame.components.map { ChromaUpsampler(component: $0, frame: frame) }
        let colour = YCbCrToRGB()
        let bands = min(height, 32)
        // Every sample is written below, so the picture starts uninitialised.
        let samples = [UInt16](unsafeUninitializedCapacity: width * height * 3) { output, initialised in
            planes[0].withUnsafeBufferPointer { plane0 in
            planes[1].withUnsafeBufferPointer { plane1 in
            planes[2].withUnsafeBufferPointer { plane2 in
            colour.withTables { tables in
                let planes = [plane0, plane1, plane2], output = output
                forEach(bands, parallel: parallel) { band in
                    // Room for each component's row, and one more sample (see ChromaUpsampler.row).
                    let rowLength = width + 1
                    let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 3 * rowLength)
                    defer { scratch.deallocate() }
                    let scratches = (0..<3).map { c in UnsafeMutableBufferPointer(rebasing: scratch[(c * rowLength)..<((c + 1) * rowLength)]) }
                    for y in (band * height / bands)..<((band + 1) * height / bands) {
                        let y0 = upsamplers[0].row(y, imageWidth: width, plane: planes[0], scratch: scratches[0])
                        let y1 = upsamplers[1].row(y, imageWidth: width, plane: planes[1], scratch: scratches[1])
                        let y2 = upsamplers[2].row(y, imageWidth: width, plane: planes[2], scratch: scratches[2])
                        let rows = (y0, y1, y2)
                        precondition((y + 1) * width * 3 <= output.count)
                        let out = output.baseAddress! + y * width * 3
                        if isRGB {
                            for x in 0..<width {
                                out[3 * x] = UInt16(rows.0[x])
                                out[3 * x + 1] = UInt16(rows.1[x])
                                out[3 * x + 2] = UInt16(rows.2[x])
                            }
                        } else {
                            YCbCrToRGB.convert(y: rows.0, cb: rows.1, cr: rows.2, count: width, into: out, tables: tables)
                        }
                    }
                }
            }}}}
            initialised = width * height * 3
        }
        return RasterImage(width: width, height: height, color: .rgb, samples: samples)
    }
}
