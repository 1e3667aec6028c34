// The fuzz targets (Fuzz/README.md): one function per reader, run on arbitrary bytes.
//
// A target may meet bytes it refuses (that is the point: every refusal must be a thrown error,
// never a crash); what it must not do is crash, hang, allocate without bound, or break one of the
// properties it checks, such as "the fast inflater and the simple one agree" or "an image we
// write reads back as the same image". A broken property is thrown as a `FuzzFinding`.
//
// The same functions serve twice: `Fuzz/run` links them into a libFuzzer binary built with the
// address sanitizer, and `swift test` replays the inputs fuzzing once found (Fuzz/Regressions/),
// so a fixed bug stays fixed without a sanitizer build.

/// A property a target checks did not hold.
public struct FuzzFinding: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The readers under test, by the names `Fuzz/run` uses.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case png, netpbm, jpeg, inflate, deflate, zip, pickle, safetensors, http

    /// What the target covers, one line for `Fuzz/run --list` and the README.
    public var summary: String {
        switch self {
        case .png: return "PNG decoder, then every conversion and writer, and PNG/PAM round trips"
        case .netpbm: return "PGM/PPM/PAM decoder (binary and text), then conversions, writers and round trips"
        case .jpeg: return "JPEG decoder (baseline and progressive), one thread against two, then conversions and writers"
        case .inflate: return "raw deflate and zlib: the fast inflater against the simple one, same bytes or same error"
        case .deflate: return "our deflate at every level, read back by both inflaters: identical bytes"
        case .zip: return "zip archive reader: central directory, local headers, stored and deflated members"
        case .pickle: return "pickle machine and the PyTorch legacy weight file (the VGG19 .bin)"
        case .safetensors: return "safetensors weight file: JSON header, offsets, F32/F16/BF16 elements"
        case .http: return "the live preview's HTTP request reader: request line, header fields, query, limits"
        }
    }

    /// Runs the target on one input. Refusals are swallowed (they are the reader's answer);
    /// a broken property is thrown.
    public func run(_ bytes: [UInt8]) throws {
        switch self {
        case .png: try ImagePipelineTarget.run(bytes, format: .png)
        case .netpbm: try ImagePipelineTarget.run(bytes, format: .netpbm)
        case .jpeg: try ImagePipelineTarget.run(bytes, format: .jpeg)
        case .inflate: try InflateTarget.run(bytes)
        case .deflate: try DeflateRoundTripTarget.run(bytes)
        case .zip: ZipTarget.run(bytes)
        case .pickle: PickleTarget.run(bytes)
        case .safetensors: SafeTensorsTarget.run(bytes)
        case .http: try HTTPRequestTarget.run(bytes)
        }
    }

    /// The libFuzzer entry: a broken property stops the process, so the fuzzer saves the input.
    public func runForFuzzer(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
        do {
            try run(bytes)
        } catch {
            fatalError("\(rawValue): \(error)")
        }
    }
}
