// jpeg-demo: the pictures and numbers of Notebooks/B-jpeg.md. Looks inside a JPEG with the
// project's own decoder: its markers, colour planes, basis patterns, quantisation, the picture
// from the first few coefficients of each block, and a progressive file scan by scan.
// Run with `swift run jpeg-demo` (fetches the sample photos on first use).
import Foundation
import ImageFiles
import Pictures
import DemoSupport
import Fetching
import CommandLineArguments

var command = DemoOutput.command(
    name: "jpeg-demo",
    summary: "Appendix B, how a JPEG is stored: opens a JPEG with this project's decoder and shows its markers, its Y, Cb and Cr planes, the 64 DCT basis patterns, its quantisation, the picture rebuilt from the first k coefficients of every block, and a progressive file scan by scan.")
let imageOption = Option<String?>.text("--image", help: "the JPEG to look inside (default: the rocket.jpg sample photo)")
let progressiveOption = Option<String>.text("--progressive", default: "samples/styled-cat-progressive.jpg",
                                            help: "a progressive JPEG to show scan by scan")
command.options += [imageOption.spec, progressiveOption.spec]
let arguments = command.parseCommandLine()
let output = DemoOutput(arguments, name: "jpeg-demo")
let save = output.save

do {
    let path = try imageOption.read(arguments) ?? SamplePhotos.path("rocket.jpg")
    let bytes = try ImageFile.readBytes(path)
    let file = try JPEGDecoder.inspect(bytes)
    let name = (path as NSString).lastPathComponent

    print("1. The file: \(name), \(bytes.count) bytes for \(file.width)x\(file.height) pixels (\(file.width * file.height * 3) bytes as raw RGB).")
    print("   Its markers, in order (offset, length):")
    for segment in file.segments {
        print("   \(segment.marker.padding(toLength: 6, withPad: " ", startingAt: 0)) at \(segment.offset), \(segment.length) bytes"
              + (segment.marker == "SOS" ? " (the scan header and its compressed data)" : ""))
    }

    // The progressive sample is 4:2:0, so its colour planes show subsampling; rocket.jpg is 4:4:4.
    let progressivePath = try progressiveOption.read(arguments)
    let progressiveBytes = try ImageFile.readBytes(progressivePath)
    let progressive = try JPEGDecoder.inspect(progressiveBytes)
    let progressiveName = (progressivePath as NSString).lastPathComponent
    print("\n2. Colour: each file stores brightness Y and two colour differences, Cb and Cr.")
    for (label, inspected) in [(name, file), (progressiveName, progressive)] {
        let names = inspected.components.count == 1 ? ["Y"] : ["Y", "Cb", "Cr"]
        print("   \(label), \(inspected.progressive ? "progressive" : "sequential"): " + zip(names, inspected.components).map { n, c in
            "\(n) sampling \(c.horizontalSampling)x\(c.verticalSampling), stored \(c.width)x\(c.height)"
        }.joined(separator: "; "))
    }
    let planeWidth = 240
    let planes = progressive.planes.map { FloatImage($0).resized(longestSide: max(1, planeWidth * max($0.width, $0.height) / progressive.width)) }
    let whole = FloatImage(try JPEGDecoder.decode(progressiveBytes)).resized(longestSide: planeWidth)
    save(ContactSheet.make([whole] + planes, labels: ["RGB, \(progressive.width)X\(progressive.height)"] + zip(["Y", "CB", "CR"], progressive.planes).map {
        "\($0.0), STORED \($0.1.width)X\($0.1.height)"
    }, title: "\(progressiveName.uppercased()): BRIGHTNESS (Y) AND TWO COLOUR DIFFERENCES AT HALF SIZE (4:2:0)", columns: 4), "ycbcr.png")

    print("\n3. Blocks and the DCT: each 8x8 block is stored as weights of 64 fixed patterns.")
    let patterns = InverseDCT.basisPatterns.map { values -> FloatImage in
        FloatImage(channels: 1, height: 8, width: 8, pixels: values.map { Float(128 + 500 * $0) }).enlarged(by: 4)
    }
    save(ContactSheet.make(patterns, title: "THE 64 BASIS PATTERNS: U = 0-7 ACROSS, V = 0-7 DOWN", columns: 8, padding: 3), "basis-patterns.png")

    print("\n4. Quantisation: each weight is divided by a step and rounded; the file chooses the steps.")
    print("   \(name)'s table for Y, row by row (low frequencies top left; a high-quality file, so the")
    print("   steps are small, and mostly larger toward the fine patterns at the bottom right):")
    for row in 0..<8 {
        print("   " + (0..<8).map { String(format: "%4d", Int(file.quantisationTables[0][row * 8 + $0])) }.joined())
    }
    print(String(format: "   After rounding, %.1f%% of all the weights in the file are zero.", 100 * file.zeroFraction))

    print("\n5. Zig-zag order puts the low frequencies first. The picture from the first k weights of each block:")
    let counts = [1, 3, 6, 10, 21, 64]
    let crop = (width: min(file.width, 160), height: min(file.height, 120))
    var rebuilt: [FloatImage] = []
    for k in counts {
        let partial = FloatImage(try JPEGDecoder.decode(bytes, firstCoefficients: k))
        var window = FloatImage(channels: partial.channels, height: crop.height, width: crop.width)
        let (left, top) = ((file.width - crop.width) / 2, (file.height - crop.height) / 2)
        for c in 0..<partial.channels {
            for y in 0..<crop.height {
                for x in 0..<crop.width { window.pixels[(c * crop.height + y) * crop.width + x] = partial[c, top + y, left + x] }
            }
        }
        rebuilt.append(window.enlarged(by: 2))
        print("   k = \(k)\(k == 1 ? ": each block's average, flat 8x8 squares" : k == 64 ? ": every weight, the picture as decoded" : "")")
    }
    save(ContactSheet.make(rebuilt, labels: counts.map { "FIRST \($0) OF 64" }, title: "THE CENTRE OF \(name.uppercased()), FROM THE FIRST K WEIGHTS OF EACH BLOCK",
                           columns: 3), "first-coefficients.png")

    let bitsPerPixel = Double(bytes.count * 8) / Double(file.width * file.height)
    print(String(format: "\n6. Huffman coding packs the runs of zeros and the nonzero weights: %.2f bits a pixel in all, against 24 raw.", bitsPerPixel))

    let scans = try JPEGDecoder.decodeScanByScan(progressiveBytes)
    let scanEnds = progressive.segments.filter { $0.marker == "SOS" }.map { $0.offset + $0.length }
    print("\n7. \(progressiveName): \(progressive.progressive ? "progressive" : "sequential"), \(scans.count) scans. After each, the bytes read so far:")
    for (i, end) in scanEnds.enumerated() { print("   scan \(i + 1): \(end) of \(progressiveBytes.count) bytes") }
    save(ContactSheet.make(scans.map { FloatImage($0).resized(longestSide: 240) },
                           labels: scanEnds.enumerated().map { "SCAN \($0.offset + 1): \($0.element * 100 / progressiveBytes.count)% OF THE FILE" },
                           title: "A PROGRESSIVE JPEG AFTER EACH SCAN", columns: 4), "progressive-scans.png")

    print("\nLook at first-coefficients.png: one weight a block already shows the shapes, as 8x8 squares;")
    print("six restore most edges; the rest add fine texture. progressive-scans.png shows the same idea")
    print("across a whole file: the first scan (the block averages, coarsely) gives a recognisable picture.")
} catch {
    output.fail("\(error)")
}
