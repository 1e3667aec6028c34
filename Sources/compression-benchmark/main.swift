// compression-benchmark: measures our inflate and deflate, to compare with zlib
// (scripts/compare-with-zlib.py does the zlib side on the same files).
//
//   compression-benchmark inflate FILE.zz [RUNS]   inflate a zlib stream; median MB/s of output
//   compression-benchmark deflate FILE             our zlib stream's size and speed at each level
import Foundation
import Compression

func fail(_ message: String) -> Never {
    FileHandle.standardError.write("compression-benchmark: \(message)\n".data(using: .utf8)!)
    exit(1)
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 2, let data = FileManager.default.contents(atPath: args[1]).map({ [UInt8]($0) }) else {
    fail("usage: compression-benchmark inflate FILE.zz [RUNS] | deflate FILE")
}
let runs = args.count > 2 ? Int(args[2]) ?? 7 : 7

switch args[0] {
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
        fail("\(args[1]): \(error)")
    }
case "deflate":
    for (name, level) in [("fast", Deflate.Level.fast), ("default", .default), ("best", .best)] {
        var size = 0
        let times = (0..<3).map { _ in seconds { size = Zlib.compress(data, level: level).count } }
        print(String(format: "deflate %@: %d -> %d bytes (%.3f), %.0f MB/s", name, data.count, size,
                     Double(size) / Double(max(1, data.count)), Double(data.count) / 1e6 / median(times)))
    }
default:
    fail("unknown mode \(args[0])")
}
