import EmporiumCore

/// Where the requests of one HTTP/1 connection begin and end in its raw bytes, read just far enough
/// to time each header block: a request line and header fields up to the blank line, then a body
/// of `Content-Length` bytes, then the next request. The header deadline needs this because a
/// client may send a complete request and half of the next one in one go (pipelining): without the
/// boundary, the second header's bytes looked like the first request's body and its deadline never
/// started. A chunked body is not followed: the connection is `unframed` until the answer goes out.
struct RequestFraming {
    enum State: Equatable {
        /// No request bytes since the last one ended.
        case between
        /// Inside a header block.
        case header
        /// Inside a body of known length.
        case body(remaining: Int)
        /// Inside a body whose end is not counted here (chunked, or a header this reader cannot use).
        case unframed
    }

    /// What one read did to the connection's requests.
    struct Step: Equatable {
        /// A header block started and had not ended by the end of the read.
        var headerPending = false
        /// At least one header block ended in the read.
        var headerCompleted = false
    }

    /// Header lines longer than this are not kept for parsing (their bytes still count).
    static let longestKeptLine = 256

    private(set) var state = State.between
    private var line: [UInt8] = []
    private var lineTooLong = false
    private var contentLength: Int?
    private var chunked = false

    /// Follows the next bytes the client sent. Body bytes are skipped in one step, not one by one.
    mutating func consume<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Step {
        var step = Step()
        var index = bytes.startIndex
        while index != bytes.endIndex {
            switch state {
            case .body(let remaining):
                let taken = min(bytes.distance(from: index, to: bytes.endIndex), remaining)
                index = bytes.index(index, offsetBy: taken)
                state = taken == remaining ? .between : .body(remaining: remaining - taken)
                continue
            case .unframed:
                index = bytes.endIndex
                continue
            case .between:
                state = .header
                startHeader()
            case .header:
                break
            }
            headerByte(bytes[index], &step)
            index = bytes.index(after: index)
        }
        if case .header = state { step.headerPending = true }
        return step
    }

    /// The answer to the current request is going out: an unframed body has surely ended.
    mutating func answered() {
        if state == .unframed { state = .between }
    }

    private mutating func startHeader() {
        line.removeAll(keepingCapacity: true)
        lineTooLong = false
        contentLength = nil
        chunked = false
    }

    private mutating func headerByte(_ byte: UInt8, _ step: inout Step) {
        guard byte == UInt8(ascii: "\n") else {
            if line.count < Self.longestKeptLine { line.append(byte) } else { lineTooLong = true }
            return
        }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        defer {
            line.removeAll(keepingCapacity: true)
            lineTooLong = false
        }
        if line.isEmpty && !lineTooLong {
            endHeader(&step)
        } else if !lineTooLong {
            field(line)
        }
    }

    private mutating func endHeader(_ step: inout Step) {
        step.headerCompleted = true
        if chunked {
            state = .unframed
        } else if let contentLength, contentLength > 0 {
            state = .body(remaining: contentLength)
        } else {
            state = .between
        }
    }

    private mutating func field(_ line: [UInt8]) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmed.lowercased()
        switch name {
        case "content-length":
            // A value the HTTP decoder will refuse anyway: stop counting rather than guess.
            if let length = Int(value), length >= 0 { contentLength = length } else { chunked = true }
        case "transfer-encoding":
            chunked = true
        default:
            break
        }
    }
}
