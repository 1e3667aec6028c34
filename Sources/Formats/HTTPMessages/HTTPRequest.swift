// An HTTP/1.1 request's head, read from bytes a browser (or anyone) sent: RFC 9112's request
// line and header fields, and RFC 3986's query. The live preview (appendix D) is a server on the
// user's own machine, but any program on it can connect, so the reader is written like the file
// readers: every size bounded before anything is kept, every byte checked, every refusal an
// answer with a status code, never a crash. It is a fuzz target (FuzzTargets/HTTPRequestTarget).
//
//     GET /picture.png?token=5f0c... HTTP/1.1\r\n      the request line: method, target, version
//     Host: 127.0.0.1:8080\r\n                          header fields, "name: value"
//     \r\n                                              an empty line ends the head
//
// The preview's requests carry no body: a Content-Length above 0, or any Transfer-Encoding, is
// refused.

/// A status line's code and reason.
public struct HTTPStatus: Equatable, Sendable, CustomStringConvertible {
    public var code: Int
    public var reason: String

    public init(_ code: Int, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public static let ok = HTTPStatus(200, "OK")
    public static let accepted = HTTPStatus(202, "Accepted")
    public static let badRequest = HTTPStatus(400, "Bad Request")
    public static let forbidden = HTTPStatus(403, "Forbidden")
    public static let notFound = HTTPStatus(404, "Not Found")
    public static let methodNotAllowed = HTTPStatus(405, "Method Not Allowed")
    public static let requestTimeout = HTTPStatus(408, "Request Timeout")
    public static let conflict = HTTPStatus(409, "Conflict")
    public static let contentTooLarge = HTTPStatus(413, "Content Too Large")
    public static let uriTooLong = HTTPStatus(414, "URI Too Long")
    public static let headerFieldsTooLarge = HTTPStatus(431, "Request Header Fields Too Large")
    public static let notImplemented = HTTPStatus(501, "Not Implemented")
    public static let serviceUnavailable = HTTPStatus(503, "Service Unavailable")
    public static let versionNotSupported = HTTPStatus(505, "HTTP Version Not Supported")

    public var description: String { "\(code) \(reason)" }
}

/// The sizes a request's head may have; anything larger is refused before it is kept.
public struct HTTPLimits: Sendable {
    /// The request line, in bytes (its end included).
    public var requestLine = 2048
    /// The whole head, request line and header fields, in bytes.
    public var head = 8192
    /// Header fields.
    public var headerFields = 48
    /// Fields of the query.
    public var queryFields = 8

    public init() {}
}

/// A request's head, read.
public struct HTTPRequest: Equatable, Sendable {
    /// "GET", "POST", ...: any token; which are allowed is the server's choice.
    public var method: String
    /// The target's path, as sent (not decoded): "/", "/picture.png".
    public var path: String
    /// The query's fields, decoded ("token" -> "5f0c...").
    public var query: [String: String]
    /// The header fields, their names in lower case.
    public var headers: [String: String]
}

/// What the bytes so far hold.
public enum HTTPParseResult: Equatable, Sendable {
    /// A head not yet ended, within the limits: wait for more bytes.
    case incomplete
    /// A whole head of `length` bytes (what follows it belongs to nobody: the preview closes
    /// each connection after its answer).
    case request(HTTPRequest, length: Int)
    /// Refused: the answer to send before closing, and why in words.
    case refused(HTTPStatus, String)
}

/// Reads the head at the start of `bytes`.
public func parseHTTPRequest(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> HTTPParseResult {
    // The request line: up to its CR LF, within its limit.
    guard let lineEnd = find(crlf, in: bytes, from: 0, before: min(bytes.count, limits.requestLine)) else {
        return bytes.count >= limits.requestLine ? .refused(.uriTooLong, "a request line longer than \(limits.requestLine) bytes") : .incomplete
    }
    // The head: up to the empty line, within its limit.
    guard let headEnd = find(crlf + crlf, in: bytes, from: lineEnd, before: min(bytes.count, limits.head)) else {
        return bytes.count >= limits.head ? .refused(.headerFieldsTooLarge, "a head longer than \(limits.head) bytes") : .incomplete
    }
    // Method SP target SP version, each part non-empty.
    let parts = bytes[0..<lineEnd].split(separator: space, omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[0].isEmpty, parts[0].count <= 16, parts[0].allSatisfy(isTokenByte) else {
        return .refused(.badRequest, "not a request line (METHOD /path HTTP/1.1)")
    }
    let version = String(decoding: parts[2], as: UTF8.self)
    guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
        return version.hasPrefix("HTTP/") ? .refused(.versionNotSupported, "version \(version)") : .refused(.badRequest, "not a request line")
    }
    let target = parts[1]
    guard target.first == slash, target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
        return .refused(.badRequest, "a target that is not a path")
    }
    // The header fields, one a line: name ":" optional spaces, value, optional spaces.
    var headers: [String: String] = [:]
    var lineStart = lineEnd + 2
    var fields = 0
    while lineStart < headEnd + 2 {
        let end = find(crlf, in: bytes, from: lineStart, before: headEnd + 2)!
        let line = bytes[lineStart..<end]
        lineStart = end + 2
        fields += 1
        guard fields <= limits.headerFields else { return .refused(.headerFieldsTooLarge, "more than \(limits.headerFields) header fields") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
              line[line.startIndex..<colon].allSatisfy(isTokenByte) else {
            return .refused(.badRequest, "a header line that is not \"name: value\"")
        }
        let rawValue = line[(colon + 1)...].drop { $0 == space || $0 == tab }
        var value = rawValue[...]
        while let last = value.last, last == space || last == tab { value = value.dropLast() }
        guard value.allSatisfy({ $0 == tab || ($0 >= 0x20 && $0 != 0x7F) }) else { return .refused(.badRequest, "a control character in a header") }
        let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased()
        if headers[name] != nil && (name == "content-length" || name == "host") { return .refused(.badRequest, "\(name) given twice") }
        // A field given twice is one field with both values, comma-separated (RFC 9110, 5.3).
        headers[name] = (headers[name].map { $0 + ", " } ?? "") + String(decoding: value, as: UTF8.self)
    }
    // No body: the preview's requests have none.
    if headers["transfer-encoding"] != nil { return .refused(.notImplemented, "a request body in chunks") }
    if let length = headers["content-length"] {
        guard !length.isEmpty, length.utf8.count <= 18, length.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return .refused(.badRequest, "a Content-Length that is not a number")
        }
        guard Int(length)! == 0 else { return .refused(.contentTooLarge, "a request body (none is read)") }
    }
    // The path, and the query's fields after "?".
    let question = target.firstIndex(of: UInt8(ascii: "?"))
    let path = String(decoding: target[target.startIndex..<(question ?? target.endIndex)], as: UTF8.self)
    var query: [String: String] = [:]
    if let question {
        let fieldsText = target[(question + 1)...].split(separator: UInt8(ascii: "&"))
        guard fieldsText.count <= limits.queryFields else { return .refused(.uriTooLong, "more than \(limits.queryFields) query fields") }
        for field in fieldsText {
            let equals = field.firstIndex(of: UInt8(ascii: "="))
            guard let name = percentDecoded(field[field.startIndex..<(equals ?? field.endIndex)]),
                  let value = percentDecoded(equals.map { field[($0 + 1)...] } ?? []) else {
                return .refused(.badRequest, "a query with a bad %-escape")
            }
            guard query[name] == nil else { return .refused(.badRequest, "query field \(name) given twice") }
            query[name] = value
        }
    }
    return .request(HTTPRequest(method: String(decoding: parts[0], as: UTF8.self), path: path, query: query, headers: headers),
                    length: headEnd + 4)
}

let crlf: [UInt8] = [0x0D, 0x0A]
let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), slash = UInt8(ascii: "/")

/// RFC 9110's token characters: letters, digits and !#$%&'*+-.^_`|~.
func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
    default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }
}

/// Where `pattern` starts in `bytes[from..<before]` (wholly inside it), or nil.
func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int, before end: Int) -> Int? {
    guard end - start >= pattern.count else { return nil }
    var i = start
    while i + pattern.count <= end {
        if bytes[i] == pattern[0] && bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
        i += 1
    }
    return nil
}

/// A query's name or value: %XX escapes decoded, "+" a space; nil for a bad escape or bytes
/// that are not UTF-8.
func percentDecoded<S: Collection>(_ text: S) -> String? where S.Element == UInt8 {
    var bytes: [UInt8] = []
    var i = text.startIndex
    func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
    while i != text.endIndex {
        let byte = text[i]
        i = text.index(after: i)
        if byte == UInt8(ascii: "+") {
            bytes.append(space)
        } else if byte == UInt8(ascii: "%") {
            guard i != text.endIndex, let high = hex(text[i]) else { return nil }
            i = text.index(after: i)
            guard i != text.endIndex, let low = hex(text[i]) else { return nil }
            i = text.index(after: i)
            bytes.append(high << 4 | low)
        } else {
            bytes.append(byte)
        }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    return Array(text.utf8) == bytes ? text : nil   // decoding replaced no bad byte
}
