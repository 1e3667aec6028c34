// compression-benchmark: measures our inflate and deflate, to compare with zlib
// (scripts/compare-with-zlib.py does the zlib side on the same files).
//
//   compression-benchmark [--runs N] inflate FILE.zz   inflate a zlib stream; median MB/s of output
//   compression-benchmark deflate FILE             our zlib stream's size and speed at each level
//   compression-benchmark [--runs N] jpeg FILE.jpg  decode a JPEG; median megapixels per second
//                                                  (scripts/jpeg-speed.py times libjpeg through Pillow)
import Foundation
import Compression
import ImageFiles
import CommandLineArguments

let runsOption = Option<Int>.integer("--runs", in: 1...1000, default: 7, help: "repetitions for inflate")
let command = CommandSpec(
    name: "compression-benchmark",
    summary: "Measures this project's inflate and deflate, to compare with zlib (scripts/compare-with-zlib.py does the zlib side). MODE inflate: FILE is a zlib stream, inflated RUNS times; prints the median MB/s of output, fast and simple inflater. MODE deflate: compresses FILE at each level; prints size and speed. MODE jpeg: decodes the JPEG FILE RUNS times, on every core and on one; prints the median megapixels per second.",
    options: [runsOption.spec],
    positionals: [("MODE", "inflate, deflate or jpeg"), ("FILE", "the file to read")])
let arguments = command.parseCommandLine()
let runs = command.check { try runsOption.read(arguments) }
let (mode, path) = (arguments.positionals[0], arguments.positionals[1])
guard ["inflate", "deflate", "jpeg"].contains(mode) else { command.fail("unknown mode \(mode) (inflate, deflate or jpeg)", status: 2) }
func fail(_ message: String) -> Never { command.fail(message) }

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

guard let data = FileManager.default.contents(atPath: path).map({ [UInt8]($0) }) else { fail("cannot read \(path)") }

switch mode {
case "inflate":
    do {
        let output = try Zlib.decompress(data, limit: 1 << 31)
        let mb = Double(output.count) / 1e6
        let fast = try (0..<runs).map { _ in try seconds { _ = try Zlib.decompress(data, limit: 1 << 31) } }
        let simple = try (0..<max(1, runs / 2)).map { _ in try seconds { _ = try Zlib.decompress(data, limit: 1 << 31, useSimpleInflate: true) } }
        print(String(format: "input %d bytes -> output %d bytes", data.count, output.count))
        print(String(format: "fast inflate:   median %.1f ms, %.0f MB/s of output (%d runs)", median(fast) * 1000, mb / median(fast), runs))
        print(String(format: "simple inflate: median %.1f ms, %.0f MB/s of output", median(simple) * 1000, mb / median(simple)))
    } catch {
        fail("\(path): \(error)")
    }
case "deflate":
    for (name, level) in [("fast", Deflate.Level.fast), ("default", .default), ("best", .best)] {
        var size = 0
        let times = (0..<3).map { _ in seconds { size = Zlib.compress(data, level: level).count } }
        print(String(format: "deflate %@: %d -> %d bytes (%.3f), %.0f MB/s", name, data.count, size,
                     Double(size) / Double(max(1, data.count)), Double(data.count) / 1e6 / median(times)))
    }
case "jpeg":
    do {
        let image = try JPEGDecoder.decode(data)
        let megapixels = Double(image.width * image.height) / 1e6
        print(String(format: "%@: %dx%d, %d bytes", path, image.width, image.height, data.count))
        for (name, parallel) in [("every core", true), ("one core", false)] {
            let times = try (0..<runs).map { _ in try seconds { _ = try JPEGDecoder.decode(data, parallel: parallel) } }
            print(String(format: "our decoder, %@: median %.1f ms, %.1f megapixels/s (%d runs)", name, median(times) * 1000,
                         megapixels / median(times), runs))
        }
    } catch {
        fail("\(path): \(error)")
    }
default:
    break
}
