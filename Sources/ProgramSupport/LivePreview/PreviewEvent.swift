import Foundation

// What the page is told after each iteration (or training step, or frame): the event stream's
// data, one JSON object. Every field is optional on the page; a field a run has not (no frame
// outside style-video) is left out.

/// The state of a run, as the page shows it.
public struct PreviewEvent: Sendable {
    /// The program: "style-transfer", "style-video", "style-train".
    public var program: String
    /// The iteration (or training step) and how many the run will take.
    public var iteration: Int = 0, iterations: Int = 0
    /// The scale (from 1), how many there are, and its longer side in pixels.
    public var scale: Int? = nil, scales: Int? = nil, size: Int? = nil
    /// style-video: the frame (from 1) and how many.
    public var frame: Int? = nil, frames: Int? = nil
    /// The loss terms by name ("content", "style" or "sliced style", "tv", "total").
    public var losses: [(name: String, value: Double)] = []
    /// Iterations (or steps) per second, and seconds left.
    public var rate: Double? = nil, secondsLeft: Double? = nil
    /// The most memory the process has held, in bytes.
    public var peakMemory: Int? = nil
    /// Set when the run is over: what it did and where the result went.
    public var ended: String? = nil
    /// A picture to show: counts up whenever the picture changes (the page asks for
    /// /picture.png again when it does).
    public var picture: Int = 0
    /// Whether /next-scale can do anything now (a scale follows this one).
    public var nextScaleAvailable = false

    public init(program: String) { self.program = program }

    /// The event as JSON, on one line.
    public var json: String {
        var fields: [String] = ["\"program\":\(quoted(program))", "\"iteration\":\(iteration)", "\"iterations\":\(iterations)",
                                "\"picture\":\(picture)", "\"nextScale\":\(nextScaleAvailable)"]
        func add(_ name: String, _ value: Int?) { if let value { fields.append("\"\(name)\":\(value)") } }
        func add(_ name: String, _ value: Double?) { if let value { fields.append("\"\(name)\":\(number(value))") } }
        add("scale", scale); add("scales", scales); add("size", size)
        add("frame", frame); add("frames", frames)
        add("rate", rate); add("secondsLeft", secondsLeft); add("peakMemory", peakMemory)
        if !losses.isEmpty {
            fields.append("\"losses\":{" + losses.map { "\(quoted($0.name)):\(number($0.value))" }.joined(separator: ",") + "}")
        }
        if let ended { fields.append("\"ended\":\(quoted(ended))") }
        return "{" + fields.joined(separator: ",") + "}"
    }
}

/// A JSON number (JSON has no NaN or infinity: those become null).
func number(_ x: Double) -> String { x.isFinite ? String(format: "%.6g", x) : "null" }

/// A JSON string, quoted and escaped.
func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
