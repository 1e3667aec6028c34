// images-demo: the pictures and numbers of Notebooks/A-png.md.
// Run with `swift run images-demo` (fetches the sample photos on first use).
import Foundation
import ImageFiles
import Pictures
import DemoSupport
import Fetching

let output = DemoOutput(name: "images-demo",
                        summary: "Appendix A, how a picture is stored: fetches the sample photos on first use, then shows what PNG's filters leave for deflate, Adam7 interlacing, and resampling.")
let save = output.save

do {
    let photo = try ImageFile.read(try SamplePhotos.path("astronaut.png"))
    print("astronaut.png: \(photo.width)x\(photo.height), \(photo.color), \(photo.samples.count) samples")

    print("\n1. Filters. Each row is stored as its difference from a prediction. Residuals near 0 (mid-gray")
    print("   below) compress well. Bytes after deflate, for the gray version of the photo:")
    var residuals: [FloatImage] = [], labels: [String] = []
    for filter in PNGFilter.allCases {
        let (picture, bytes) = PNGIllustrations.filterResidual(photo, filter: filter)
        print("   \(String(describing: filter).padding(toLength: 8, withPad: " ", startingAt: 0)) \(bytes) bytes")
        residuals.append(picture.resized(longestSide: 256))
        labels.append("\(filter): \(bytes) BYTES")
    }
    save(ContactSheet.make(residuals, labels: labels, title: "WHAT EACH FILTER LEAVES (MID-GRAY = 0), AND ITS SIZE AFTER DEFLATE",
                           columns: 5), "filters.png")

    print("\n2. Adam7 interlacing: what a viewer can show after each of the 7 passes.")
    let crop = FloatImage(photo).resized(longestSide: 64)
    let frames = PNGIllustrations.adam7Progression(crop).map { $0.enlarged(by: 3) }
    save(ContactSheet.make(frames, labels: (1...7).map { "PASS \($0)" }, title: "ADAM7: THE PICTURE AFTER EACH PASS", columns: 7),
         "adam7.png")

    print("\n3. Resampling: area average down to 64 pixels, then bilinear back up to 256.")
    let small = FloatImage(photo).resized(longestSide: 64)
    save(ContactSheet.make([FloatImage(photo).resized(longestSide: 256), small.enlarged(by: 4), small.resized(longestSide: 256)],
                           labels: ["AREA AVERAGE TO 256", "64, PIXELS ENLARGED", "64, BILINEAR TO 256"], columns: 3), "resampling.png")
    print("\nLook at filters.png: 'none' is the photo's own bytes on the same signed scale (so bright areas wrap")
print("to dark); 'up', 'average' and 'paeth' leave mostly mid-gray, which is why they compress best.")
    print("In adam7.png the face is recognisable after pass 3, a sixteenth of the data.")
} catch {
    FileHandle.standardError.write("images-demo: \(error)\n".data(using: .utf8)!)
    exit(1)
}
