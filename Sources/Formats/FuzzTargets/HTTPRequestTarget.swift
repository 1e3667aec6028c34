import HTTPMessages

// The live preview's request reader (appendix D), on arbitrary bytes. Its properties: a request
// read says how long its head was, within the bytes and the limits; the same bytes cut at that
// length read the same; every shorter cut is incomplete or refused, never another request; and a
// refusal is one of the answers the reader gives.
enum HTTPRequestTarget {
    static let statuses: Set<Int> = [400, 413, 414, 431, 501, 505]

    static func run(_ bytes: [UInt8]) throws {
        let limits = HTTPLimits()
        switch parseHTTPRequest(bytes, limits: limits) {
        case .incomplete:
            guard bytes.count < limits.head else { throw FuzzFinding("\(bytes.count) bytes of an unended head were kept") }
        case .refused(let status, _):
            guard statuses.contains(status.code) else { throw FuzzFinding("refused with \(status)") }
        case .request(let request, let length):
            guard length <= bytes.count, length <= limits.head else { throw FuzzFinding("a head of \(length) bytes from \(bytes.count)") }
            guard parseHTTPRequest(Array(bytes[0..<length]), limits: limits) == .request(request, length: length) else {
                throw FuzzFinding("the head alone reads differently")
            }
            guard request.path.hasPrefix("/"), request.headers.count <= limits.headerFields, request.query.count <= limits.queryFields else {
                throw FuzzFinding("a request beyond the limits: \(request)")
            }
            for cut in [length / 2, length - 1] where cut >= 0 {
                if case .request = parseHTTPRequest(Array(bytes[0..<cut]), limits: limits) {
                    throw FuzzFinding("\(cut) bytes of a \(length)-byte head read as a request")
                }
            }
        }
    }
}
