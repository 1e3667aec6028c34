#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XCTest
import Foundation
import LivePreview

/// `--preview` as a page uses it, over a socket of our own: a small style-transfer run started
/// with --preview prints its address; its event stream gives the state at once, the picture is a
/// PNG of the run's size, a request without the token is refused, and Stop ends the run with the
/// picture written and exit status 0.
extension ExecutableTests {
    /// One request to 127.0.0.1:`port`, and everything until the server closes (or until what
    /// came so far satisfies `until`, for the event stream that never closes; at most 60 s).
    func httpExchange(port: Int, _ request: String, until enough: ((String) -> Bool)? = nil) throws -> String {
        guard let fd = connectToLoopback(port: port) else { throw NSError(domain: "connect", code: Int(errno)) }
        defer { closeSocket(fd) }
        _ = Array(request.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let enough, enough(String(decoding: all, as: UTF8.self)) { break }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            all += chunk[0..<n]
        }
        return String(decoding: all, as: Unicode.ASCII.self)
    }

    func testStyleTransferServesAPreviewAndStopsFromIt() throws {
        try requireReleaseBuildAndWeights()
        try writePicture("photo.ppm", width: 64, height: 48, pattern([120, 150, 90], seed: 4))
        try writePicture("style.ppm", width: 48, height: 48, pattern([200, 60, 40], seed: 2))
        let process = Process()
        process.executableURL = binaries.appendingPathComponent("style-transfer")
        process.arguments = ["--content", "photo.ppm", "--style", "style.ppm", "--size", "64", "--iterations", "100000", "--preview", "--output", "out.png"]
        process.currentDirectoryURL = workFolder
        process.environment = ProcessInfo.processInfo.environment.merging(["STYLE_TRANSFER_CACHE": projectCache]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // The address, with its token, on the first lines.
        var printed = ""
        let deadline = Date().addingTimeInterval(120)
        while !printed.contains("token=") || !printed.contains("\n") && Date() < deadline {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            printed += String(decoding: data, as: UTF8.self)
            if printed.range(of: #"token=[0-9a-f]{32}"#, options: .regularExpression) != nil { break }
        }
        guard let match = printed.range(of: #"http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]{32})"#, options: .regularExpression) else {
            return XCTFail("no address printed: \(printed)")
        }
        let address = String(printed[match])
        let port = Int(address.split(separator: ":")[2].split(separator: "/")[0])!
        let token = String(address.split(separator: "=")[1])

        XCTAssertTrue(try httpExchange(port: port, "GET /picture.png HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 403 "), "no token, no picture")
        XCTAssertTrue(try httpExchange(port: port, "POST /stop?token=\(String(repeating: "0", count: 32)) HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 403 "))
        let events = try httpExchange(port: port, "GET /events?token=\(token) HTTP/1.1\r\n\r\n", until: { $0.contains("\n\n") })
        XCTAssertTrue(events.contains("Content-Type: text/event-stream") && events.contains("data: {\"program\":\"style-transfer\""), events)
        // Once an iteration has run (the stream sends the latest state, skipping any it had no
        // time to send), the picture is there.
        let later = try httpExchange(port: port, "GET /events?token=\(token) HTTP/1.1\r\n\r\n",
                                     until: { $0.range(of: #""iteration":[1-9]"#, options: .regularExpression) != nil })
        XCTAssertNotNil(later.range(of: #""iteration":[1-9]"#, options: .regularExpression), "no iteration in \(later.suffix(300))")
        let picture = try httpExchange(port: port, "GET /picture.png?token=\(token) HTTP/1.1\r\n\r\n")
        XCTAssertTrue(picture.hasPrefix("HTTP/1.1 200 OK") && picture.contains("Content-Type: image/png"), String(picture.prefix(200)))
        XCTAssertTrue(try httpExchange(port: port, "POST /stop?token=\(token) HTTP/1.1\r\nContent-Length: 0\r\n\r\n").hasPrefix("HTTP/1.1 202 "))
        process.waitUntilExit()
        printed += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, "stopped from the page, the run ends as finished")
        XCTAssertTrue(printed.contains("stopped from the preview page after"), printed)
        XCTAssertTrue(printed.contains("preview: the server's thread used"), printed)
        XCTAssertEqual(pngSize("out.png").map { [$0.0, $0.1] }, [64, 48], "the picture written")
    }
}
