import XCTest
import Tensors
import TestSupport
import Foundation

/// `style-transfer` run end to end on the real VGG19 at tiny sizes, as a user runs it: every
/// example command of the README, spatial control, the same picture on any number of threads,
/// and the mistakes a newcomer makes. The runs take seconds in a release build and minutes in a
/// debug one, so they run in `.ci/run`'s release pass (skipped in the debug pass, saying so);
/// offline they are skipped, saying what to fetch.
extension ExecutableTests {
    /// Skips in a debug build, then makes sure the weights are there.
    func requireReleaseBuildAndWeights() throws {
        try XCTSkipIf(isDebugBuild, "runs against the release build (.ci/run: swift test -c release --filter ExecutableTests)")
        try requireWeights()
    }

    /// A picture file in the work folder: a PPM of `colour(y, x)`, converted by image-convert
    /// when the name asks for another format.
    func writePicture(_ name: String, width: Int, height: Int, _ colour: (Int, Int) -> [UInt8]) throws {
        let ppm = name.hasSuffix(".ppm") ? name : name + ".ppm"
        try writeMask(ppm, width: width, height: height, colour)
        if ppm != name {
            let converted = try run("image-convert", [ppm, name])
            XCTAssertEqual(converted.status, 0, converted.error)
            try FileManager.default.removeItem(at: workFolder.appendingPathComponent(ppm))
        }
    }

    /// Busy patterns of one hue: a painting whose colours a result can be told by.
    func pattern(_ base: [Int], seed: Int) -> (Int, Int) -> [UInt8] {
        { y, x in
            let wave = ((x * (3 + seed) + y * (5 + seed) + (x * y) % (7 + seed)) % 64) - 32
            return base.map { UInt8(max(0, min(255, $0 + wave))) }
        }
    }

    /// The mean red, green and blue of a picture file's columns `columns` (read as PPM through image-convert).
    func meanColour(_ name: String, columns: (Int) -> Range<Int>) throws -> [Double] {
        let converted = try run("image-convert", [name, "mean.ppm"])
        XCTAssertEqual(converted.status, 0, converted.error)
        let bytes = [UInt8](try Data(contentsOf: workFolder.appendingPathComponent("mean.ppm")))
        try FileManager.default.removeItem(at: workFolder.appendingPathComponent("mean.ppm"))
        // "P6\nW H\n255\n", then the samples.
        var newlines = 0, start = 0
        while newlines < 3 { if bytes[start] == 10 { newlines += 1 }; start += 1 }
        let header = String(decoding: bytes[..<start], as: UTF8.self).split(whereSeparator: \.isWhitespace)
        let (width, height) = (Int(header[1])!, Int(header[2])!)
        var sums = [0.0, 0.0, 0.0], count = 0.0
        for y in 0..<height {
            for x in columns(width) {
                for c in 0..<3 { sums[c] += Double(bytes[start + (y * width + x) * 3 + c]) }
                count += 1
            }
        }
        return sums.map { $0 / count }
    }

    func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() }

    // ---- The README's examples.

    /// Every `style-transfer` command in the README's code blocks, with its files made small and
    /// its size and iterations made tiny, runs to the end and writes what it says.
    func testEveryREADMEExampleRuns() throws {
        try requireReleaseBuildAndWeights()
        let readme = try String(contentsOf: packageFolder().appendingPathComponent("README.md"), encoding: .utf8)
        let commands = Self.styleTransferCommands(inMarkdown: readme)
        XCTAssertGreaterThanOrEqual(commands.count, 7, "the README's style-transfer examples: \(commands)")
        let outputs: Set<String> = ["--output", "--log", "--plot"]
        for words in commands {
            var arguments: [String] = [], made: [String] = []
            var i = 0
            let scales = words.firstIndex(of: "--scales").map { Int(words[$0 + 1])! } ?? 1
            while i < words.count {
                let word = words[i]
                if word == "--size" || word == "--iterations" {
                    // Tiny: the first scale at 32 pixels, one iteration a scale.
                    arguments += [word, word == "--size" ? String(32 << (scales - 1)) : Array(repeating: "1", count: scales).joined(separator: ",")]
                    i += 2
                    continue
                }
                arguments.append(word)
                if i > 0 && outputs.contains(words[i - 1]) { made.append(word) }
                i += 1
            }
            if !arguments.contains("--size") { arguments += ["--size", "32"] }
            if !arguments.contains("--iterations") { arguments += ["--iterations", "1"] }
            // The pictures it names: a photo, paintings, and masks of two regions.
            for (index, name) in arguments.enumerated() where index > 0 && !outputs.contains(arguments[index - 1]) {
                for file in name.split(separator: ",").map(String.init) where file.hasSuffix(".png") {
                    if file == "photo-mask.png" {
                        try writePicture(file, width: 40, height: 30) { _, x in x < 20 ? [255, 0, 0] : [0, 0, 255] }
                    } else if file.hasSuffix("-mask.png") {
                        try writePicture(file, width: 8, height: 8) { _, _ in file.hasPrefix("sky") ? [255, 0, 0] : [0, 0, 255] }
                    } else {
                        let wide = file.contains("16x9")
                        try writePicture(file, width: wide ? 64 : 40, height: wide ? 36 : 30, pattern([90, 140, 200], seed: file.count))
                    }
                }
            }
            let result = try run("style-transfer", arguments, environment: ["STYLE_TRANSFER_CACHE": projectCache])
            XCTAssertEqual(result.status, 0, "style-transfer \(arguments.joined(separator: " ")): \(result.error)")
            let output = arguments.firstIndex(of: "--output").map { arguments[$0 + 1] } ?? "output/style-transfer.png"
            XCTAssertTrue(result.output.contains("wrote \(output)"), "\(arguments): \(result.output)")
            XCTAssertNotNil(pngSize(output), "\(arguments): no picture at \(output)")
            for file in made where !file.hasSuffix(".png") {
                XCTAssertTrue(FileManager.default.fileExists(atPath: workFolder.appendingPathComponent(file).path), "\(arguments): no \(file)")
            }
            try FileManager.default.contentsOfDirectory(atPath: workFolder.path).forEach {
                try FileManager.default.removeItem(at: workFolder.appendingPathComponent($0))
            }
        }
    }

    /// The words of each `swift run -c release style-transfer ...` line of `markdown`'s code
    /// blocks (continued over lines ending in a backslash), after the program's name, without comments.
    static func styleTransferCommands(inMarkdown markdown: String) -> [[String]] {
        var commands: [[String]] = [], inBlock = false, pending = ""
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") { inBlock.toggle(); continue }
            guard inBlock else { continue }
            var text = pending + (line.range(of: " #").map { String(line[..<$0.lowerBound]) } ?? line)
            if text.hasSuffix("\\") { text.removeLast(); pending = text + " "; continue }
            pending = ""
            let words = text.split(separator: " ").map(String.init)
            if let program = words.firstIndex(of: "style-transfer"), words.starts(with: ["swift", "run"]) {
                commands.append(Array(words[(program + 1)...]))
            }
        }
        return commands
    }

    // ---- Spatial control through the command.

    /// The README's chapter 10 command: each half of the result nearer its own style's colours.
    func testMaskedRunsGiveEachRegionItsOwnStyle() throws {
        try requireReleaseBuildAndWeights()
        try writePicture("photo.ppm", width: 64, height: 48, pattern([128, 128, 128], seed: 1))
        try writePicture("red.ppm", width: 48, height: 48, pattern([200, 60, 40], seed: 2))
        try writePicture("blue.ppm", width: 48, height: 48, pattern([40, 70, 200], seed: 3))
        try writeMask("halves.ppm", width: 64, height: 48) { _, x in x < 32 ? [255, 0, 0] : [0, 0, 255] }
        try writeMask("all-red.ppm", width: 8, height: 8) { _, _ in [255, 0, 0] }
        try writeMask("all-blue.ppm", width: 8, height: 8) { _, _ in [0, 0, 255] }
        for content in [["--content", "photo.ppm"], []] {   // a photo, and a masked texture
            let result = try run("style-transfer", content + ["--style", "red.ppm,blue.ppm", "--content-mask", "halves.ppm",
                                                              "--style-masks", "all-red.ppm,all-blue.ppm", "--size", "64", "--iterations", "30",
                                                              "--output", "out.png"],
                                 environment: ["STYLE_TRANSFER_CACHE": projectCache])
            XCTAssertEqual(result.status, 0, "\(content): \(result.error)")
            let (red, blue) = (try meanColour("red.ppm") { 0..<$0 }, try meanColour("blue.ppm") { 0..<$0 })
            let left = try meanColour("out.png") { 0..<($0 / 2) }, right = try meanColour("out.png") { ($0 / 2)..<$0 }
            XCTAssertLessThan(distance(left, red), distance(left, blue), "\(content): the left half \(left) is nearer the blue style")
            XCTAssertLessThan(distance(right, blue), distance(right, red), "\(content): the right half \(right) is nearer the red style")
        }
    }

    /// Chapter 8b's terms as a user chooses them: each runs and writes its picture, its peak
    /// within the plan; one the budget would tile is refused before loading, in one line naming
    /// the term; beside masks it is refused; an unknown term is named, with the three it could be.
    func testTheStyleLossesChapter8bAdds() throws {
        try requireReleaseBuildAndWeights()
        try writePicture("photo.ppm", width: 64, height: 48, pattern([120, 150, 90], seed: 4))
        try writePicture("style.ppm", width: 48, height: 48, pattern([200, 60, 40], seed: 2))
        let environment = ["STYLE_TRANSFER_CACHE": projectCache]
        for kind in ["sliced", "histogram"] {
            let result = try run("style-transfer", ["--content", "photo.ppm", "--style", "style.ppm", "--style-loss", kind, "--size", "128",
                                                    "--iterations", "24", "--output", "\(kind).png", "--plot", "\(kind).svg"], environment: environment)
            XCTAssertEqual(result.status, 0, "\(kind): \(result.error)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: workFolder.appendingPathComponent("\(kind).png").path))
            // The progress, the last line and the chart name the term the style column holds.
            let name = kind == "sliced" ? "sliced style" : "histogram+Gram style"
            XCTAssertTrue(result.output.contains("\(name) "), "\(kind): \(result.output)")
            let chart = String(decoding: FileManager.default.contents(atPath: workFolder.appendingPathComponent("\(kind).svg").path) ?? Data(), as: UTF8.self)
            XCTAssertTrue(chart.contains(">\(name)<"), "\(kind): the chart's legend names it")
            guard let (peak, planned, _) = memoryLine(result.output) else { return XCTFail("no peak memory line: \(result.output)") }
            XCTAssertLessThanOrEqual(peak, planned, "\(kind): the plan counts the term's memory: \(result.output)")
            let tiled = try run("style-transfer", ["--content", "photo.ppm", "--style", "style.ppm", "--style-loss", kind, "--size", "1024",
                                                   "--scales", "1", "--max-memory", "600M", "--output", "no.png"], environment: environment)
            XCTAssertEqual(tiled.status, 1, tiled.error)
            XCTAssertTrue(tiled.error.contains("needs the whole 1024x768 picture") && tiled.error.split(separator: "\n").count == 1, tiled.error)
        }
        let masked = try run("style-transfer", ["--content", "photo.ppm", "--style", "style.ppm", "--style-loss", "sliced",
                                                "--content-mask", "photo.ppm", "--style-masks", "style.ppm", "--output", "no.png"], environment: environment)
        XCTAssertEqual(masked.status, 1, masked.error)
        XCTAssertTrue(masked.error.contains("--style-loss sliced and --content-mask"), masked.error)
        let unknown = try run("style-transfer", ["--style-loss", "wasserstein", "--output", "no.png"], environment: environment)
        XCTAssertEqual(unknown.status, 1, unknown.error)
        XCTAssertTrue(unknown.error.contains("--style-loss wasserstein: expected gram, sliced or histogram"), unknown.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workFolder.appendingPathComponent("no.png").path))
    }

    // ---- The same picture on any number of threads.

    /// The same seed and options give the same bytes and the same losses on 1, 2 and 3 threads,
    /// whole and in tiles, with the worker pool and with Dispatch.
    func testTheSamePictureOnAnyNumberOfThreads() throws {
        try requireReleaseBuildAndWeights()
        try writePicture("photo.ppm", width: 80, height: 60, pattern([120, 150, 90], seed: 4))
        try writePicture("style.ppm", width: 64, height: 64, pattern([200, 90, 60], seed: 5))
        // Tiled: 384x288 in tiles of 64 pixels (the budget holds one tile, not the whole picture).
        let whole = (["--size", "80", "--iterations", "6"], [("1", "1"), ("2", "1"), ("3", "1"), ("2", "0")])
        let tiled = (["--size", "384", "--scales", "1", "--iterations", "1", "--max-memory", "\(Self.tileForcingBudgets["lbfgs"]!)M"], [("1", "1"), ("2", "1")])
        for (name, (extra, threadCounts)) in [("whole", whole), ("tiled", tiled)] {
            var pictures: [Data] = [], logs: [String] = []
            for (threads, pool) in threadCounts {
                let result = try run("style-transfer", ["--content", "photo.ppm", "--style", "style.ppm", "--seed", "3",
                                                        "--init", "noise", "--output", "out.png", "--log", "log.csv"] + extra,
                                     environment: ["STYLE_TRANSFER_CACHE": projectCache, "STYLE_THREADS": threads, "STYLE_WORKER_POOL": pool])
                XCTAssertEqual(result.status, 0, result.error)
                if name == "tiled" {
                    // L-BFGS in tiles: also within its memory budget (Adam: the test below).
                    XCTAssertTrue(result.output.contains("tiles of"), "not tiled: \(result.output)")
                    let (peak, _, budget) = memoryLine(result.output) ?? (.infinity, 0, 0)
                    XCTAssertLessThanOrEqual(peak, budget, result.output)
                }
                pictures.append(try Data(contentsOf: workFolder.appendingPathComponent("out.png")))
                // The losses, without the seconds.
                let log = try String(contentsOf: workFolder.appendingPathComponent("log.csv"), encoding: .utf8)
                logs.append(log.split(separator: "\n").map { $0.split(separator: ",").prefix(5).joined(separator: ",") }.joined(separator: "\n"))
            }
            XCTAssertGreaterThanOrEqual(logs[0].split(separator: "\n").count, 3, "\(name): \(logs[0])")   // the header and 2 rows
            for i in 1..<pictures.count {
                XCTAssertEqual(pictures[i], pictures[0], "\(name): run \(i) wrote other bytes than the one-thread run")
                XCTAssertEqual(logs[i], logs[0], "\(name): run \(i) logged other losses than the one-thread run")
            }
        }
    }

    // ---- The memory plan keeps its word.

    /// Budgets that hold one 64-pixel tile of a 384x288 picture but not the whole picture, with
    /// L-BFGS's 25 pairs and with Adam's two moments.
    static let tileForcingBudgets = ["lbfgs": 850, "adam": 790]

    /// The memory a run's last line says it held at its peak, what it planned, and its budget, in bytes.
    func memoryLine(_ output: String) -> (peak: Double, planned: Double, budget: Double)? {
        // "peak memory 812 MB, planned 786 MB of a budget of 790 MB"
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("peak memory ") }) else { return nil }
        let words = line.replacingOccurrences(of: ",", with: "").split(separator: " ").map(String.init)
        func bytes(after index: Int) -> Double? {
            guard index + 2 < words.count, let value = Double(words[index + 1]) else { return nil }
            return value * (words[index + 2] == "GB" ? 1_073_741_824 : 1_048_576)
        }
        guard let peak = bytes(after: 1), let planned = bytes(after: 4), let budget = bytes(after: words.count - 3) else { return nil }
        return (peak, planned, budget)
    }

    /// A picture whose budget forces tiles, with Adam (L-BFGS: the tiled runs above): the peak
    /// stays within the budget the plan promised to keep.
    func testATiledRunStaysWithinItsBudget() throws {
        try requireReleaseBuildAndWeights()
        try writePicture("photo.ppm", width: 80, height: 60, pattern([120, 150, 90], seed: 4))
        for optimiser in ["adam"] {
            let result = try run("style-transfer", ["--content", "photo.ppm", "--style", "photo.ppm", "--size", "384", "--scales", "1",
                                                    "--iterations", "1", "--optimizer", optimiser, "--max-memory", "\(Self.tileForcingBudgets[optimiser]!)M",
                                                    "--output", "out.png"], environment: ["STYLE_TRANSFER_CACHE": projectCache])
            XCTAssertEqual(result.status, 0, result.error)
            XCTAssertTrue(result.output.contains("tiles of"), "not tiled: \(result.output)")
            guard let (peak, _, budget) = memoryLine(result.output) else { return XCTFail("no peak memory line: \(result.output)") }
            XCTAssertEqual(budget, Double(Self.tileForcingBudgets[optimiser]! * 1_048_576), accuracy: 1_048_576)
            XCTAssertLessThanOrEqual(peak, budget, "\(optimiser): \(result.output)")
        }
    }

    // ---- A newcomer's mistakes.

    /// An output folder the run cannot write in is refused before the run, in one line: as an
    /// unprivileged user (through setpriv when the tests run as root), in a folder of mode 555.
    func testAnOutputFolderThatCannotBeWrittenIsRefusedFirst() throws {
        let folder = workFolder.appendingPathComponent("read-only")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        let arguments = ["--output", folder.appendingPathComponent("out.png").path, "--size", "32"]
        let result: (status: Int32?, output: String, error: String)
        if getuid() != 0 {
            result = try run("style-transfer", arguments)
        } else if FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            // Root writes anywhere: the program runs as the unprivileged user nobody.
            result = try run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                  binaries.appendingPathComponent("style-transfer").path] + arguments)
        } else {
            // Root without setpriv: /proc is a folder no one can add a file to.
            result = try run("style-transfer", ["--output", "/proc/out.png", "--size", "32"])
        }
        XCTAssertEqual(result.status, 1, result.error)
        XCTAssertTrue(result.error.contains("cannot write in the folder"), result.error)
        XCTAssertEqual(result.error.split(separator: "\n").count, 1, result.error)
        XCTAssertFalse(result.output.contains("[vgg]") || result.error.contains("[vgg]"), "refused before the network loaded")
    }

    /// A file where the output's folder should be is named as a file.
    func testAFileInTheOutputsPathIsNamed() throws {
        try Data("notes".utf8).write(to: workFolder.appendingPathComponent("afile"))
        let result = try run("style-transfer", ["--output", "afile/out.png"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.error, "style-transfer: --output afile/out.png: afile is a file, not a folder\n")
    }

    /// A picture that cannot be decoded is named with its error, whichever option gave it.
    func testDecodeErrorsNameTheirFile() throws {
        try writePicture("photo.png", width: 32, height: 24, pattern([100, 100, 100], seed: 1))
        let png = try Data(contentsOf: workFolder.appendingPathComponent("photo.png"))
        try png.prefix(png.count / 2).write(to: workFolder.appendingPathComponent("truncated.png"))
        // A JPEG whose scan is garbage: the header of a real one, then bytes no Huffman table decodes.
        let jpeg = try Data(contentsOf: packageFolder().appendingPathComponent("Tests/Formats/ImageFiles/JPEG/baseline-444.jpg"))
        let scan = jpeg.lastRange(of: Data([0xFF, 0xDA]))!.upperBound + 12
        try (jpeg.prefix(scan) + Data(repeating: 0xFF, count: 40) + Data([0x00]) + Data(repeating: 0x5A, count: 400) + Data([0xFF, 0xD9]))
            .write(to: workFolder.appendingPathComponent("garbled.jpg"))
        for arguments in [["--content", "photo.png", "--style", "truncated.png"], ["--content", "truncated.png"],
                          ["--content", "garbled.jpg"], ["--content", "photo.png", "--init", "truncated.png"]] {
            let result = try run("style-transfer", arguments + ["--output", "out.png"])
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.error)")
            let file = arguments.last!
            XCTAssertTrue(result.error.hasPrefix("style-transfer: \(file): "), "\(arguments): \(result.error)")
            XCTAssertEqual(result.error.split(separator: "\n").count, 1, result.error)
        }
    }

    /// Ctrl-C while a coarse scale runs: the picture written is the asked size, and the line says so.
    func testAnInterruptedCoarseScaleIsWrittenAtTheAskedSize() throws {
        try requireReleaseBuildAndWeights()
        try writePPM("photo.ppm", width: 64, height: 48, seed: 1)
        let run = try runAndInterrupt(["--content", "photo.ppm", "--style", "photo.ppm", "--size", "64", "--scales", "2",
                                       "--iterations", "100000,1", "--output", "out.png", "--log", "log.csv"])
        XCTAssertTrue(run.wasRunning, "the run ended before it was interrupted")
        XCTAssertEqual(run.status, 130)
        XCTAssertTrue(pngSize("out.png")! == (64, 48), "out.png is not the asked 64x48")
        XCTAssertTrue(run.output.contains("enlarged to 64x48 from the 32x24 scale"), run.output)
    }

    /// The output's folder vanishes during the run: the picture is not lost but written into the
    /// working folder, and the one-line error says where (exit status 1).
    func testAResultThatCannotBeWrittenIsKeptElsewhere() throws {
        try requireReleaseBuildAndWeights()
        try writePPM("photo.ppm", width: 32, height: 24, seed: 1)
        let folder = workFolder.appendingPathComponent("prints")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let run = try runAndInterrupt(["--content", "photo.ppm", "--style", "photo.ppm", "--size", "32", "--iterations", "100000",
                                       "--output", "prints/out.png", "--log", "log.csv"]) {
            try FileManager.default.removeItem(at: folder)
        }
        XCTAssertTrue(run.wasRunning, "the run ended before the folder was removed")
        XCTAssertEqual(run.status, 1, run.error)
        let files = try leftovers()
        let rescued = files.filter { $0.hasPrefix("style-transfer-") && $0.hasSuffix(".png") }
        XCTAssertEqual(rescued.count, 1, "\(files)")
        // The last line (the weights' loading is said before it).
        let said = run.error.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(said.hasPrefix("style-transfer: cannot write prints/out.png: ") && said.contains("wrote the picture to "), said)
        XCTAssertTrue(said.contains(rescued.first ?? "?"), said)
        XCTAssertTrue(pngSize(rescued.first ?? "?")! == (32, 24), "the rescued picture is not a 32x24 PNG")
    }

    /// One iteration is "1 iteration"; the headline names every option that changes the picture.
    func testTheRunsLinesSayWhatItDid() throws {
        try requireReleaseBuildAndWeights()
        try writePPM("photo.ppm", width: 32, height: 24, seed: 1)
        let result = try run("style-transfer", ["--content", "photo.ppm", "--style", "photo.ppm", "--size", "32", "--iterations", "1",
                                                "--optimizer", "gd", "--original-colors", "--seed", "7", "--style-weight", "50", "--output", "out.png"],
                             environment: ["STYLE_TRANSFER_CACHE": projectCache])
        XCTAssertEqual(result.status, 0, result.error)
        let headline = result.output.split(separator: "\n").first { $0.hasPrefix("repainting") }.map(String.init) ?? ""
        for option in ["--original-colors", "--seed 7", "--style-weight 50", "1 iteration of gd"] {
            XCTAssertTrue(headline.contains(option), "the headline leaves out \(option): \(headline)")
        }
        XCTAssertTrue(result.output.contains("after 1 iteration (2 loss evaluations)"), result.output)
    }

    /// A debug build says so in its first line, with the command to use instead; a release build does not.
    func testADebugBuildSaysSoFirst() throws {
        let result = try run("style-transfer", ["--content", "no-such-photo.png"])
        XCTAssertEqual(result.status, 1)
        let first = result.output.split(separator: "\n").first.map(String.init) ?? ""
        if isDebugBuild {
            XCTAssertTrue(first.contains("debug build") && first.contains("swift run -c release style-transfer"), first)
        } else {
            XCTAssertEqual(result.output, "", "a release build says nothing about its build")
        }
    }
}
