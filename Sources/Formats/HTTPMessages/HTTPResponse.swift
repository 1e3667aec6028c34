// An HTTP/1.1 response: the status line, header fields, an empty line, the body. Every answer of
// the live preview closes its connection (`Connection: close`) but the event stream's, which
// stays open and sends its events as they come (EventStream.swift).

/// A response to send.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    /// Header fields besides Content-Length and Connection, which `encoded` writes.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(_ status: HTTPStatus, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A short plain-text answer, the status and one line of why.
    public static func text(_ status: HTTPStatus, _ text: String) -> HTTPResponse {
        HTTPResponse(status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array((text + "\n").utf8))
    }

    /// The bytes on the wire, the body's length given and the connection closed after it.
    public func encoded() -> [UInt8] {
        var head = "HTTP/1.1 \(status.code) \(status.reason)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }
}
