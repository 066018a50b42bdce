@testable import EmporiumHTTP
import Testing

@Suite("Request framing: where each pipelined request's header begins and ends")
struct RequestFramingTests {
    private func consume(_ framing: inout RequestFraming, _ text: String) -> RequestFraming.Step {
        framing.consume(Array(text.utf8))
    }

    @Test func aWholeRequestThenHalfOfTheNextLeavesAHeaderPending() {
        var framing = RequestFraming()
        let step = consume(&framing, "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHo")
        #expect(step.headerCompleted)
        #expect(step.headerPending)
        #expect(framing.state == .header)
    }

    @Test func aBodyOfContentLengthIsSkippedAndTheNextRequestBeginsAfterIt() {
        var framing = RequestFraming()
        var step = consume(&framing, "POST /x HTTP/1.1\r\ncontent-LENGTH: 10\r\n\r\n\r\n\r\n\r\n")
        #expect(step.headerCompleted && !step.headerPending)
        #expect(framing.state == .body(remaining: 4), "the blank lines in a body are body, not a header's end")
        step = consume(&framing, "abcd")
        #expect(framing.state == .between)
        step = consume(&framing, "GET")
        #expect(step.headerPending && !step.headerCompleted)
    }

    @Test func aHeaderSplitAcrossReadsEndsWhereItsBlankLineIs() {
        var framing = RequestFraming()
        #expect(consume(&framing, "GET / HTTP/1.1\r").headerPending)
        #expect(consume(&framing, "\nHost: a\r\n\r").headerPending)
        let step = consume(&framing, "\n")
        #expect(step.headerCompleted && !step.headerPending)
        #expect(framing.state == .between)
    }

    @Test func aChunkedBodyIsNotFollowedUntilTheAnswerGoesOut() {
        var framing = RequestFraming()
        _ = consume(&framing, "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        #expect(framing.state == .unframed)
        #expect(!consume(&framing, "0\r\n\r\nGET / HT").headerPending)
        framing.answered()
        #expect(consume(&framing, "GET / HTTP/1.1\r\n").headerPending)
    }

    @Test func anUnreadableContentLengthStopsTheCountingInsteadOfGuessing() {
        var framing = RequestFraming()
        _ = consume(&framing, "POST /x HTTP/1.1\r\nContent-Length: -5\r\n\r\n")
        #expect(framing.state == .unframed)
        var long = RequestFraming()
        _ = consume(&long, "GET / HTTP/1.1\r\nX-Long: \(String(repeating: "a", count: 5_000))\r\n\r\n")
        #expect(long.state == .between, "a long field still ends with its line")
    }
}
