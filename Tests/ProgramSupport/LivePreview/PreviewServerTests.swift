#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XCTest
import Foundation
import HTTPMessages
import Pictures
import ImageFiles
@testable import LivePreview

/// A client as plain as the server: a blocking socket to 127.0.0.1 that sends bytes and reads
/// what comes back, with a time limit.
final class TestClient {
    let fd: Int32

    init(port: Int) throws {
        guard let fd = connectToLoopback(port: port, timeout: 10) else { throw NSError(domain: "connect", code: Int(errno)) }
        self.fd = fd
    }

    deinit { closeSocket(fd) }

    func send(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { Glibc_or_Darwin_send(fd, $0) } }

    /// Everything until the server closes (or the time limit).
    func readAll() -> [UInt8] {
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return all }
            all += chunk[0..<n]
        }
    }

    /// Reads until `bytes` contain `marker` `count` times (or the time limit).
    func read(until marker: String, count: Int = 1) -> String {
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while String(decoding: all, as: UTF8.self).components(separatedBy: marker).count - 1 < count {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            all += chunk[0..<n]
        }
        return String(decoding: all, as: UTF8.self)
    }
}

func Glibc_or_Darwin_send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    send(fd, bytes.baseAddress, bytes.count, 0)
}

/// An answer split into its status code, head and body.
func split(_ bytes: [UInt8]) -> (code: Int, head: String, body: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: Array("\r\n\r\n".utf8)) }) else { return (0, text, []) }
    let head = String(decoding: bytes[0..<end], as: UTF8.self)
    let code = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
    return (code, head, Array(bytes[(end + 4)...]))
}

final class PreviewServerTests: XCTestCase {
    func ask(_ server: PreviewServer, _ request: String) throws -> (code: Int, head: String, body: [UInt8]) {
        let client = try TestClient(port: server.port)
        client.send(request)
        return split(client.readAll())
    }

    func get(_ server: PreviewServer, _ target: String) throws -> (code: Int, head: String, body: [UInt8]) {
        try ask(server, "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    }

    func testTheRoutesAskForTheToken() throws {
        let server = try PreviewServer(port: 0, program: "style-transfer")
        defer { server.finish("done", seconds: 0) }
        XCTAssertEqual(server.boundAddress, "127.0.0.1", "nothing listens on other addresses")
        XCTAssertEqual(server.token.count, 32)
        let t = "token=\(server.token)"
        XCTAssertEqual(try get(server, "/").code, 403, "no token")
        XCTAssertEqual(try get(server, "/?token=0123").code, 403, "another token")
        XCTAssertEqual(try get(server, "/stop").code, 403, "no token, no route: even the paths are not told")
        XCTAssertEqual(try get(server, "/secret?\(t)").code, 404)
        XCTAssertEqual(try get(server, "/stop?\(t)").code, 405)
        XCTAssertEqual(try ask(server, "DELETE /?\(t) HTTP/1.1\r\n\r\n").code, 405)
        let page = try get(server, "/?\(t)")
        XCTAssertEqual(page.code, 200)
        XCTAssertTrue(page.head.contains("Content-Type: text/html"), page.head)
        XCTAssertTrue(String(decoding: page.body, as: UTF8.self).contains("new EventSource(\"/events?\" + query)"))
        XCTAssertFalse(String(decoding: page.body, as: UTF8.self).contains("http"), "nothing from anywhere else")
        XCTAssertEqual(try get(server, "/picture.png?\(t)").code, 503, "no picture yet")
        XCTAssertEqual(try ask(server, "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 9000) + "\r\n\r\n").code, 431)
        XCTAssertFalse(server.stopRequested)
    }

    func testThePictureStopAndNextScale() throws {
        let server = try PreviewServer(port: 0, program: "style-transfer")
        defer { server.finish("done", seconds: 0) }
        let t = "token=\(server.token)"
        let picture = FloatImage(channels: 3, height: 24, width: 32, pixels: (0..<(3 * 24 * 32)).map { Float($0 % 256) })
        server.publishPicture { picture.raster() }
        let answer = try get(server, "/picture.png?\(t)")
        XCTAssertEqual(answer.code, 200)
        XCTAssertTrue(answer.head.contains("Content-Type: image/png"))
        let read = try ImageFile.decode(answer.body)
        XCTAssertEqual(read.width, 32)
        XCTAssertEqual(read.height, 24)
        XCTAssertEqual(FloatImage(read).pixels, picture.pixels, "the picture, losslessly")

        XCTAssertEqual(try ask(server, "POST /next-scale?\(t) HTTP/1.1\r\n\r\n").code, 409, "no scale follows")
        var event = PreviewEvent(program: "style-transfer")
        event.nextScaleAvailable = true
        server.publish(event)
        XCTAssertEqual(try ask(server, "POST /next-scale?\(t) HTTP/1.1\r\nContent-Length: 0\r\n\r\n").code, 202)
        XCTAssertTrue(server.takeNextScaleRequest())
        XCTAssertFalse(server.takeNextScaleRequest(), "taken once")
        XCTAssertEqual(try ask(server, "POST /stop?\(t) HTTP/1.1\r\n\r\n").code, 202)
        XCTAssertTrue(server.stopRequested)
    }

    func testTheEventStreamSendsTheStateAtOnceAndEachChange() throws {
        let server = try PreviewServer(port: 0, program: "style-train")
        var event = PreviewEvent(program: "style-train")
        event.iteration = 3
        event.losses = [("content", 1.5e6), ("sliced style", 2e5)]
        server.publish(event)
        let client = try TestClient(port: server.port)
        client.send("GET /events?token=\(server.token) HTTP/1.1\r\n\r\n")
        let first = client.read(until: "\n\n")   // the head ends in CR LF CR LF; the first event in LF LF
        XCTAssertTrue(first.hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream"), first)
        XCTAssertTrue(first.contains("data: {\"program\":\"style-train\",\"iteration\":3,"), first)
        XCTAssertTrue(first.contains("\"losses\":{\"content\":1.5e+06,\"sliced style\":200000}"), first)
        event.iteration = 4
        server.publish(event)
        XCTAssertTrue(client.read(until: "\n\n").contains("\"iteration\":4,"))
        server.finish("wrote out.png")
        XCTAssertTrue(client.read(until: "\n\n").contains("\"ended\":\"wrote out.png\""), "the end reaches the page before the server stops")
    }

    func testSlowSilentAndGreedyClientsAreDroppedAndTheRunNeverWaits() throws {
        let server = try PreviewServer(port: 0, program: "style-transfer", requestSeconds: 0.5)
        defer { server.finish("done", seconds: 0) }
        // A request that never ends is answered 408 once its time is up.
        let slow = try TestClient(port: server.port)
        slow.send("GET /?token=\(server.token) HTTP/1.1\r\nHost: 127")
        let started = Date()
        XCTAssertEqual(split(slow.readAll()).code, 408)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
        // More connections than allowed: the newcomers are closed at once, unanswered.
        let idle = try (0..<PreviewServer.maxConnections).map { _ in try TestClient(port: server.port) }
        Thread.sleep(forTimeInterval: 0.2)
        let extra = try TestClient(port: server.port)
        XCTAssertEqual(extra.readAll(), [], "closed without an answer")
        XCTAssertEqual(idle.count, PreviewServer.maxConnections)
        // An event stream whose client never reads: publishing stays a matter of microseconds.
        let stuck = try TestClient(port: server.port)
        stuck.send("GET /events?token=\(server.token) HTTP/1.1\r\n\r\n")
        var event = PreviewEvent(program: "style-transfer")
        event.ended = String(repeating: "x", count: 4000)
        let clock = Date()
        for i in 0..<2000 {
            event.iteration = i
            server.publish(event)
        }
        XCTAssertLessThan(Date().timeIntervalSince(clock), 0.5, "2,000 events published")
    }

    /// A port already taken is refused in words; a picture larger than the event streams' limit
    /// is still sent whole.
    func testATakenPortAndALargePicture() throws {
        let server = try PreviewServer(port: 0, program: "style-transfer")
        defer { server.finish("done", seconds: 0) }
        XCTAssertThrowsError(try PreviewServer(port: server.port, program: "style-transfer")) { error in
            XCTAssertTrue("\(error)".contains("cannot listen on 127.0.0.1:\(server.port)"), "\(error)")
        }
        var generator = SystemRandomNumberGenerator()
        let noise = FloatImage(channels: 3, height: 700, width: 700, pixels: (0..<(3 * 700 * 700)).map { _ in Float(generator.next() % 256) })
        server.publishPicture { noise.raster() }
        let answer = try get(server, "/picture.png?token=\(server.token)")
        XCTAssertEqual(answer.code, 200)
        XCTAssertGreaterThan(answer.body.count, PreviewServer.unsentLimit, "noise does not compress")
        XCTAssertEqual(try ImageFile.decode(answer.body).width, 700)
    }

    func testEventsAsJSON() {
        var event = PreviewEvent(program: "a \"quoted\"\nname")
        event.losses = [("total", .nan), ("style", 2.5)]
        event.frame = 2
        event.frames = 9
        XCTAssertEqual(event.json, "{\"program\":\"a \\\"quoted\\\"\\nname\",\"iteration\":0,\"iterations\":0,\"picture\":0,\"nextScale\":false,"
                       + "\"frame\":2,\"frames\":9,\"losses\":{\"total\":null,\"style\":2.5}}")
    }
}
