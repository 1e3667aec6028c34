// The one way this project writes a file: to a temporary file in the same folder, renamed into
// place when it is whole. An interrupted program or a failed write never leaves a half-written
// file under the name asked for, and whatever was there stays until the new file is complete.
import Foundation

/// A write that failed: the path asked for and what the system said.
public struct AtomicWriteError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

/// Takes one piece of the file's bytes at a time.
public typealias ByteSink = (UnsafeRawBufferPointer) throws -> Void

/// Writes what `body` hands its sink to a temporary file beside `path`, then renames it into
/// place; on any error the temporary file is removed and the error passed on.
public func writeAtomically(to path: String, _ body: (ByteSink) throws -> Void) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
    func failure() -> AtomicWriteError { AtomicWriteError(path: path, reason: String(cString: strerror(errno))) }
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { throw failure() }
    var closed = false
    do {
        defer { if !closed { close(descriptor) } }
        try body { piece in
            var done = 0
            while done < piece.count {
                let n = Foundation.write(descriptor, piece.baseAddress! + done, piece.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw failure() }
                done += n
            }
        }
        closed = true
        guard close(descriptor) == 0 else { throw failure() }
        guard rename(temporary, url.path) == 0 else { throw failure() }
    } catch {
        unlink(temporary)
        throw error
    }
}

/// Writes `bytes` to `path` the same way.
public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    try writeAtomically(to: path) { sink in try bytes.withUnsafeBytes { try sink($0) } }
}
