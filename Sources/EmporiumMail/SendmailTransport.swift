import EmporiumCore
import EmporiumSupport
import Foundation

/// Hands each message to the system's mail transfer agent through its `sendmail` program, the
/// Debian way for a service: Postfix, Exim or msmtp then queue, retry, sign (DKIM) and relay. The
/// recipient is passed after `--`, so an address can never be read as an option; `-i` keeps a line
/// holding only a dot from ending the message; `-f` sets the envelope sender.
public struct SendmailTransport: MailTransport {
    let program: String

    public init(program: String) {
        self.program = program
    }

    public var name: String { "sendmail" }

    public func send(_ message: MIMEMessage) async throws {
        let program = self.program
        let bytes = Self.unixLineEnds(message.encoded())
        let arguments = ["-i", "-f", message.from.address, "--", message.to.address]
        let finished: ChildProcess.Finished
        do {
            finished = try await Task.detached { try ChildProcess.run(program, arguments, input: bytes) }.value
        } catch {
            throw OutboxFailure.temporary("cannot run \(program): \(error)")
        }
        switch finished.status {
        case 0:
            return
        // sysexits.h: EX_NOUSER, EX_NOHOST, EX_DATAERR: the message as written will never go.
        case 65, 67, 68:
            throw OutboxFailure.permanent("\(program) refused the message (exit \(finished.status)): \(finished.errorText)")
        default:
            throw OutboxFailure.temporary("\(program) failed (exit \(finished.status)): \(finished.errorText)")
        }
    }

    /// sendmail reads a message with the local convention, LF line ends; the MTA puts CRLF back on the wire.
    static func unixLineEnds(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() where !(byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10) {
            out.append(byte)
        }
        return out
    }
}
