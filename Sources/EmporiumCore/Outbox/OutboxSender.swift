import Foundation

/// Sends one kind of outbox message (`OutboxChannel`): the mail sender renders and hands the
/// message to the box's mail transport; the webhooks issue adds a sender for endpoints.
public protocol OutboxSender: Sendable {
    var channel: OutboxChannel { get }
    /// Which transport the metrics name (`smtp`, `smtps`, `sendmail`).
    var transportName: String { get }
    /// Returns once the receiver has accepted the message; throws `OutboxFailure` or any error
    /// (taken as temporary) otherwise.
    func send(_ message: OutboxMessage, shop: UUID) async throws
}

/// Why a send failed, as the worker needs to know it.
public enum OutboxFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Worth trying again later: an SMTP 4xx answer for this message.
    case temporary(String)
    /// The receiver itself is down (connection refused, no answer before the deadline): this
    /// message is retried later like a temporary failure, and the pass stops for the channel, so
    /// the other messages are neither tried against a dead server nor charged an attempt.
    case unavailable(String)
    /// Will never succeed as written: an SMTP 5xx for the recipient, a template that does not
    /// render. The message is dead at once instead of retrying for a day.
    case permanent(String)

    public var description: String {
        switch self {
        case .temporary(let reason), .permanent(let reason), .unavailable(let reason): return reason
        }
    }
}
