import HTTPMessages

// The preview's few routes, and the rule every request meets first: it must carry the run's
// token, as a `?token=...` query field, on every route. The token is a random number printed
// only on the terminal that started the run, inside the address to open: another user of the
// machine, or a page on another site that the browser has open, can reach 127.0.0.1 but cannot
// guess it, so it can neither read the picture nor stop the run. Without it a request learns
// nothing, not even which paths exist.

/// What a request may ask of the preview.
public enum PreviewRoute: Equatable, Sendable {
    /// GET /: the page.
    case page
    /// GET /picture.png: the picture as it is now.
    case picture
    /// GET /events: the event stream.
    case events
    /// POST /stop: end the run as finished, the picture written.
    case stop
    /// POST /next-scale: end this scale now and go on to the next.
    case nextScale

    /// Each route's path and method.
    static let table: [(path: String, method: String, route: PreviewRoute)] = [
        ("/", "GET", .page), ("/picture.png", "GET", .picture), ("/events", "GET", .events),
        ("/stop", "POST", .stop), ("/next-scale", "POST", .nextScale),
    ]
}

/// The route `request` asks for, or the answer that refuses it: 403 without the token, 404 for
/// another path, 405 for another method.
public func route(_ request: HTTPRequest, token: String) -> Result<PreviewRoute, PreviewRefusal> {
    guard let given = request.query["token"], sameToken(given, token) else {
        return .failure(PreviewRefusal(status: .forbidden, reason: "no token, or not this run's (open the address the run printed)"))
    }
    guard let entry = PreviewRoute.table.first(where: { $0.path == request.path }) else {
        return .failure(PreviewRefusal(status: .notFound, reason: "no such page"))
    }
    guard entry.method == request.method else {
        return .failure(PreviewRefusal(status: .methodNotAllowed, reason: "\(request.path) takes \(entry.method)", allow: entry.method))
    }
    return .success(entry.route)
}

/// A refused request: the status, one line of why, and for 405 the method allowed.
public struct PreviewRefusal: Error, Equatable, Sendable {
    public var status: HTTPStatus
    public var reason: String
    public var allow: String? = nil

    /// The answer to send.
    public var response: HTTPResponse {
        var response = HTTPResponse.text(status, reason)
        if let allow { response.headers.append(("Allow", allow)) }
        return response
    }
}

/// Whether two tokens are equal, in a time that does not depend on where they first differ (so
/// that timing the refusals cannot find the token a character at a time).
func sameToken(_ a: String, _ b: String) -> Bool {
    let (x, y) = (Array(a.utf8), Array(b.utf8))
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for i in x.indices { difference |= x[i] ^ y[i] }
    return difference == 0
}

/// A new token: 128 random bits from the system's secure generator, as 32 hexadecimal digits.
public func newToken() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<2).map { _ in
        let n = generator.next() as UInt64
        let digits = String(n, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }.joined()
}
