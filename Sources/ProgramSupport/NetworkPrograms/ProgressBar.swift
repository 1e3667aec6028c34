import Foundation

/// Progress of a long run on standard error. On a terminal, one line redrawn in place: a bar,
/// then the caller's text. Otherwise (a log file, a pipe) plain lines, only for the updates the
/// caller marks as worth a line, so a log is not flooded.
public struct ProgressBar {
    public let isTerminal: Bool
    let width = 24
    var drawn = false

    public init() { isTerminal = isatty(STDERR_FILENO) != 0 }

    /// Shows `fraction` (0...1) done and `text`.
    public mutating func update(fraction: Double, _ text: String, worthALine: Bool) {
        if isTerminal {
            let filled = Int((min(1, max(0, fraction)) * Double(width)).rounded(.down))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            write("\r\u{1B}[K[\(bar)] \(text)")
            drawn = true
        } else if worthALine {
            write(text + "\n")
        }
    }

    /// Ends the redrawn line, so what is printed next starts on its own.
    public mutating func finish() {
        if drawn { write("\n") }
        drawn = false
    }

    func write(_ text: String) { FileHandle.standardError.write(text.data(using: .utf8)!) }
}

/// A duration as people read it: "45 s", "3 min 05 s", "1 h 02 min".
public func readableDuration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s) s" }
    if s < 3600 { return String(format: "%d min %02d s", s / 60, s % 60) }
    return String(format: "%d h %02d min", s / 3600, (s % 3600) / 60)
}

/// A count with its noun, singular or plural: "1 iteration", "2 iterations".
public func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
