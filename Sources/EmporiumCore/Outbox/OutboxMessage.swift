import Foundation

/// How a message leaves the box. Mail today; the webhooks issue adds its endpoints to the same
/// outbox, worker and retry rules.
public enum OutboxChannel: String, Sendable, Codable, CaseIterable {
    case mail, webhook
}

public enum OutboxStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its next attempt.
    case queued
    /// A transport accepted it.
    case sent
    /// Every attempt failed; only a person's resend sends it again.
    case dead
}

/// Something that must leave the box because of a change, written in the change's own transaction
/// (`OutboxRepository.enqueue`), so it exists exactly when the change committed. The worker sends
/// it later; `id` stays the same across retries (the mail's `Message-ID`), so a receiver can tell
/// a repeat after a crash from a new message.
public struct OutboxMessage: Sendable, Equatable, Identifiable {
    public var id: UUID
    /// The row's position: delivery order within one recipient.
    public var seq: Int64
    public var channel: OutboxChannel
    /// What happened, e.g. `order.received`: picks the template or the event type.
    public var topic: String
    /// An e-mail address (mail) or an endpoint id (webhook).
    public var recipient: String
    /// The facts the message is made from, frozen when the change committed.
    public var payload: JSONValue
    public var status: OutboxStatus
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?

    public init(id: UUID = UUID(), seq: Int64 = 0, channel: OutboxChannel, topic: String, recipient: String, payload: JSONValue,
                status: OutboxStatus = .queued, attempts: Int = 0, nextAttemptAt: Date, lastError: String? = nil,
                createdAt: Date, sentAt: Date? = nil) {
        self.id = id
        self.seq = seq
        self.channel = channel
        self.topic = topic
        self.recipient = recipient
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }

    /// A new message, due at once.
    public static func new(_ channel: OutboxChannel, topic: String, to recipient: String, payload: JSONValue, at timestamp: Date) -> OutboxMessage {
        OutboxMessage(id: UUID(), channel: channel, topic: topic, recipient: recipient, payload: payload, nextAttemptAt: timestamp, createdAt: timestamp)
    }
}

/// One try at sending a message, kept for the admin panel and for whoever asks why mail stopped.
public struct OutboxAttempt: Sendable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        case sent, failed, dead
    }

    public var number: Int
    public var at: Date
    public var outcome: Outcome
    public var error: String?

    public init(number: Int, at: Date, outcome: Outcome, error: String? = nil) {
        self.number = number
        self.at = at
        self.outcome = outcome
        self.error = error
    }
}

/// How many messages of a shop wait and how many were given up on, for metrics and the admin
/// panel (both counted from partial indexes, never by reading every sent message).
public struct OutboxCounts: Sendable, Equatable {
    public var queued: Int
    public var dead: Int

    public init(queued: Int = 0, dead: Int = 0) {
        self.queued = queued
        self.dead = dead
    }
}
