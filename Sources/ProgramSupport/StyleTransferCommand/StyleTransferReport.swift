import Foundation
import PerceptualControl
import Dispatch
import StyleTransfer
import StyleTransferRun
import FastLosses
import NetworkPrograms
import ImageFiles

// What the command says while it runs and when it ends, and how it hears Ctrl-C.

extension StyleTransferRequest {
    /// The first line: what is repainted, in which style, at what size, how many iterations.
    public func headline(content: Bool, width: Int, height: Int, settings: StylizationSettings) -> String {
        let sizes = settings.sizes
        let total = settings.totalIterations
        return (content ? "repainting \(contentPath ?? "the astronaut photo") in the style of" : "texture from")
            + (((settings.styleTerm as? GramMatrixStyle)?.sources ?? [:]).isEmpty || (stylePaths?.count ?? 0) != 2
                ? " \(stylePaths?.joined(separator: ", ") ?? "samples/mosaic.png"): "
                : " \(stylePaths![0]) (coarse) and \(stylePaths![1]) (fine): ")
            + "\(width)x\(height), "
            + (sizes.count == 1 ? "" : "scales \(sizes.map(String.init).joined(separator: ", ")), ")
            + "\(counted(total, "iteration")) of \(settings.optimiser.rawValue), \(architecture.name)"
            + colourWords(settings.colours)
            + (resultOptions.isEmpty ? "" : "; " + resultOptions.joined(separator: " "))
    }

    /// How the headline says a colour preservation (--original-colors is among `resultOptions`).
    func colourWords(_ colours: ColourPreservation?) -> String {
        switch colours {
        case .luminance: return ", colours kept by luminance-only transfer"
        case .match: return ", colours kept by matching the style's colours"
        case .afterwards, nil: return ""
        }
    }

    /// Where `--save-every` writes the image after `iteration`: NAME-ITERATION.EXT beside the output.
    public func savedName(_ iteration: Int) -> String {
        let url = URL(fileURLWithPath: outputPath)
        let stem = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent("\(stem)-\(iteration).\(url.pathExtension)").relativePath
    }
}

/// The progress line after each iteration: losses, iterations per second and the time left
/// (from the work done, an iteration's work growing with its pixels); every tenth iteration, and
/// at least every 30 seconds, the line is kept on the screen.
public struct StyleTransferProgress {
    let totalIterations: Int, multiScale: Bool
    /// The style part's name ("style", or chapter 8b's "sliced style", ...).
    let styleName: String
    var lastKept = 0.0

    public init(settings: StylizationSettings) {
        totalIterations = settings.totalIterations
        multiScale = settings.sizes.count > 1
        styleName = settings.styleTerm.partName
    }

    public mutating func line(for step: StylizationStep) -> (text: String, keep: Bool) {
        let row = step.row
        let left = step.fractionDone > 0 ? row.seconds * (1 - step.fractionDone) / step.fractionDone : .nan
        let rate = row.iteration > 0 ? Double(row.iteration) / row.seconds : 0
        let text = String(format: "iteration %d/%d  loss %.4g (content %.3g, %@ %.3g, tv %.3g)  %.2f it/s  ", row.iteration, totalIterations,
                          row.total, row.content, styleName, row.style, row.totalVariation, rate)
            + (row.iteration == 0 ? "" : readableDuration(left) + " left") + (multiScale ? "  (\(step.size) px)" : "")
        let keep = row.iteration % 10 == 0 || row.seconds - lastKept > 30 || row.iteration == totalIterations
        if keep { lastKept = row.seconds }
        return (text, keep)
    }

    /// The line shown while a tiled evaluation is under way: how far the run is, and the time left.
    public func tileLine(fractionDone: Double, seconds: Double) -> String {
        let left = fractionDone > 0 ? seconds * (1 - fractionDone) / fractionDone : .nan
        return String(format: "%.1f%% done, evaluating tile by tile  ", 100 * fractionDone) + (fractionDone > 0 ? readableDuration(left) + " left" : "")
    }

    /// The last line of a finished run.
    public func finished(_ result: StylizationResult, log: LossLog, outputPath: String) -> String {
        let seconds = log.rows.last?.seconds ?? 0
        let final = log.rows.last.map { String(format: "; final loss %.4g (content %.3g, %@ %.3g, tv %.3g)",
                                               $0.total, $0.content, styleName, $0.style, $0.totalVariation) } ?? ""
        return "wrote \(outputPath) after \(counted(result.steps, "iteration")) (\(counted(result.evaluations, "loss evaluation"))) in \(readableDuration(seconds))\(final)"
    }

    /// The line after it: the most memory the run held at once, beside the plan's estimate.
    public static func memoryLine(plan: MemoryPlan?) -> String {
        "peak memory \(MemorySize(bytes: peakResidentBytes()))" + (plan.map { ", planned \(MemorySize(bytes: $0.estimate)) of a budget of \($0.budget)" } ?? "")
    }
}

/// The most memory this process has held at once (its peak resident set), in bytes. On Linux
/// the kernel's high-water mark of this program's own memory (`VmHWM` in /proc/self/status):
/// `getrusage`'s figure there also counts, from before `exec`, the memory of the process that
/// started this one (a test runner of 900 MB made a small run report 874 MB).
public func peakResidentBytes() -> Int {
    #if os(Linux)
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
       let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
       let kilobytes = Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") {   // "VmHWM:   1968 kB"
        return kilobytes * 1024
    }
    return 0
    #else
    var usage = rusage()
    getrusage(RUSAGE_SELF, &usage)
    return usage.ru_maxrss   // bytes on macOS
    #endif
}

/// Ctrl-C: the first press asks the run to stop after the current iteration (and write the
/// image); a second ends the program at once. The presses are counted behind a lock
/// (`Synchronization.Atomic` would need macOS 15).
public final class InterruptCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var source: DispatchSourceSignal?

    /// Starts listening for Ctrl-C.
    public init() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [unowned self] in
            if self.press() >= 2 { _exit(130) }
            FileHandle.standardError.write("\nstopping after this iteration to write the image (Ctrl-C again to quit at once)\n".data(using: .utf8)!)
        }
        source.resume()
        self.source = source
    }

    func press() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count }

    /// Whether Ctrl-C has been pressed.
    public var pressed: Bool { lock.lock(); defer { lock.unlock() }; return count > 0 }
}

/// Writes the result, which must not be lost: if its file cannot be written after all (its folder
/// was checked before the run, but disks fill and permissions change), the picture goes into the
/// working folder, or else the temporary folder. Returns nil when `path` was written, otherwise
/// the one line that says what failed and where the picture is.
public func writeResult(_ raster: RasterImage, to path: String) -> String? {
    do { try ImageFile.write(raster, to: path); return nil } catch {
        let failure = "\(error)".contains(path) ? "\(error)" : "cannot write \(path): \(error)"
        let name = "style-transfer-\(ProcessInfo.processInfo.processIdentifier).png"
        for folder in [FileManager.default.currentDirectoryPath, NSTemporaryDirectory()] {
            let rescue = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            if (try? ImageFile.write(raster, to: rescue)) != nil { return "\(failure); wrote the picture to \(rescue) instead" }
        }
        return "\(failure), nor a copy in the working folder or the temporary folder"
    }
}
