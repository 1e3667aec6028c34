import XCTest
@testable import HTTPMessages

/// The request reader: what a browser sends, read whole or in pieces; every limit and every
/// malformed part refused with its status.
final class HTTPRequestTests: XCTestCase {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    func testWhatABrowserSends() {
        let text = "GET /picture.png?token=ab12&n=7 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: test\r\nAccept: image/*\r\n\r\n"
        guard case .request(let request, let length) = parseHTTPRequest(bytes(text)) else { return XCTFail("not read") }
        XCTAssertEqual(length, text.utf8.count)
        XCTAssertEqual(request.method, "GET")
        XCTAssertEqual(request.path, "/picture.png")
        XCTAssertEqual(request.query, ["token": "ab12", "n": "7"])
        XCTAssertEqual(request.headers["host"], "127.0.0.1:8080")
        XCTAssertEqual(request.headers["accept"], "image/*")
    }

    func testEveryPrefixIsIncompleteAndTheWholeIsTheSame() {
        let text = bytes("POST /stop?token=x%20y+z HTTP/1.1\r\nContent-Length: 0\r\nX-A:  padded \t\r\nX-A: second\r\n\r\nignored")
        guard case .request(let whole, let length) = parseHTTPRequest(text) else { return XCTFail("not read") }
        XCTAssertEqual(whole.query["token"], "x y z")
        XCTAssertEqual(whole.headers["x-a"], "padded, second", "spaces trimmed, repeats joined")
        XCTAssertEqual(length, text.count - "ignored".utf8.count)
        for end in 0..<length { XCTAssertEqual(parseHTTPRequest(Array(text[0..<end])), .incomplete, "\(end) bytes") }
    }

    func testMalformedRequestsAreRefusedWithTheirStatus() {
        let cases: [(String, Int)] = [
            ("GET / HTTP/1.1\r\nno colon here\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\n: empty name\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400),
            ("GET /  HTTP/1.1\r\n\r\n", 400),
            ("GET relative HTTP/1.1\r\n\r\n", 400),
            ("GET / HTTP/2.0\r\n\r\n", 505),
            ("GET / SMTP\r\n\r\n", 400),
            ("G(T / HTTP/1.1\r\n\r\n", 400),
            ("GET /?token=%zz HTTP/1.1\r\n\r\n", 400),
            ("GET /?token=%C3%28 HTTP/1.1\r\n\r\n", 400),
            ("GET /?token=a&token=b HTTP/1.1\r\n\r\n", 400),
            ("GET /?a&b&c&d&e&f&g&h&i HTTP/1.1\r\n\r\n", 414),
            ("POST /stop HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", 413),
            ("POST /stop HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
            ("POST /stop HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n", 400),
            ("POST /stop HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
            ("GET / HTTP/1.1\r\nX: a\u{1}b\r\n\r\n", 400),
        ]
        for (text, code) in cases {
            guard case .refused(let status, let why) = parseHTTPRequest(bytes(text)) else { XCTFail("not refused: \(text.debugDescription)"); continue }
            XCTAssertEqual(status.code, code, "\(text.debugDescription): \(why)")
        }
    }

    func testSizesAreBoundedBeforeTheEndArrives() {
        var limits = HTTPLimits()
        limits.requestLine = 64
        limits.head = 256
        limits.headerFields = 3
        // A request line that never ends, and a head that never ends: refused once past the limit.
        XCTAssertEqual(parseHTTPRequest(bytes("GET /" + String(repeating: "a", count: 57)), limits: limits), .incomplete)
        guard case .refused(let long, _) = parseHTTPRequest(bytes("GET /" + String(repeating: "a", count: 80)), limits: limits) else { return XCTFail() }
        XCTAssertEqual(long.code, 414)
        let endless = "GET / HTTP/1.1\r\n" + String(repeating: "X-Pad: 0123456789\r\n", count: 20)
        guard case .refused(let head, _) = parseHTTPRequest(bytes(endless), limits: limits) else { return XCTFail() }
        XCTAssertEqual(head.code, 431)
        guard case .refused(let many, _) = parseHTTPRequest(bytes("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"), limits: limits) else { return XCTFail() }
        XCTAssertEqual(many.code, 431)
        guard case .request = parseHTTPRequest(bytes("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), limits: limits) else { return XCTFail("three fields are allowed") }
    }

    func testResponsesAndEvents() {
        let response = HTTPResponse.text(.forbidden, "no token").encoded()
        XCTAssertEqual(String(decoding: response, as: UTF8.self),
                       "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 9\r\nConnection: close\r\n\r\nno token\n")
        XCTAssertEqual(String(decoding: EventStream.event("{\"a\":1}\nsecond"), as: UTF8.self), "data: {\"a\":1}\ndata: second\n\n")
        XCTAssertTrue(String(decoding: EventStream.head(), as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"))
    }
}
