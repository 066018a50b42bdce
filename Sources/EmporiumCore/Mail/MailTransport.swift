import Foundation

/// Where finished messages go: an SMTP submission server or the system's mail transfer agent
/// (`EmporiumMail`). Configured once per box (`MAIL_URL`).
public protocol MailTransport: Sendable {
    /// `smtp`, `smtps` or `sendmail`: the metrics' label.
    var name: String { get }
    /// Returns once the server or MTA took responsibility for the message; throws
    /// `OutboxFailure.permanent` when it never will (a 5xx answer), anything else when it may later.
    func send(_ message: MIMEMessage) async throws
}
