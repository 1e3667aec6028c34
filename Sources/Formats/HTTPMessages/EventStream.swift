// Server-sent events (the HTML standard's EventSource): one response that never ends, its body a
// series of events, each "data: ..." lines and an empty line. The browser's EventSource object
// reads them as they come and hands each event's data to the page; if the connection drops it
// connects again by itself.
//
//     HTTP/1.1 200 OK
//     Content-Type: text/event-stream
//
//     data: {"iteration":12,"content":1.2e6,...}
//
//     : a comment, which keeps an idle connection from being closed by anything between
//

public enum EventStream {
    /// The response's head: no Content-Length, as the body has no end.
    public static func head(headers: [(name: String, value: String)] = []) -> [UInt8] {
        var head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return Array((head + "\r\n").utf8)
    }

    /// One event whose data is `data` (a line break in it starts another data line, which the
    /// browser joins back with a line break).
    public static func event(_ data: String) -> [UInt8] {
        Array((data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n").utf8)
    }

    /// A comment line, which the browser ignores.
    public static let keepAlive: [UInt8] = Array(": still here\n\n".utf8)
}
