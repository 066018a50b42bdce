import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `outbox`.
struct OutboxRecord: StoredRecord {
    static let databaseTableName = "outbox"

    var seq: Int64?
    var id: UUID
    var channel: OutboxChannel
    var topic: String
    var recipient: String
    var payload: JSONValue
    var status: OutboxStatus
    var attempts: Int
    var nextAttemptAt: Date
    var lastError: String?
    var createdAt: Date
    var sentAt: Date?

    enum CodingKeys: String, CodingKey {
        case seq, id, channel, topic, recipient, payload, status, attempts
        case nextAttemptAt = "next_attempt_at", lastError = "last_error", createdAt = "created_at", sentAt = "sent_at"
    }

    enum Columns {
        static let seq = Column(CodingKeys.seq)
        static let id = Column(CodingKeys.id)
        static let status = Column(CodingKeys.status)
        static let channel = Column(CodingKeys.channel)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        seq = inserted.rowID
    }

    init(_ message: OutboxMessage) {
        seq = message.seq == 0 ? nil : message.seq
        (id, channel, topic, recipient, payload) = (message.id, message.channel, message.topic, message.recipient, message.payload)
        (status, attempts, nextAttemptAt, lastError) = (message.status, message.attempts, message.nextAttemptAt, message.lastError)
        (createdAt, sentAt) = (message.createdAt, message.sentAt)
    }

    var message: OutboxMessage {
        OutboxMessage(id: id, seq: seq ?? 0, channel: channel, topic: topic, recipient: recipient, payload: payload, status: status,
                      attempts: attempts, nextAttemptAt: nextAttemptAt, lastError: lastError, createdAt: createdAt, sentAt: sentAt)
    }
}

/// A row of a shop's `outbox_attempts`.
struct OutboxAttemptRecord: StoredRecord {
    static let databaseTableName = "outbox_attempts"

    var messageSeq: Int64
    var number: Int
    var at: Date
    var outcome: OutboxAttempt.Outcome
    var error: String?

    enum CodingKeys: String, CodingKey {
        case number, at, outcome, error
        case messageSeq = "message_seq"
    }

    var attempt: OutboxAttempt { OutboxAttempt(number: number, at: at, outcome: outcome, error: error) }
}

/// A row of a shop's `mail_templates`.
struct MailTemplateRecord: StoredRecord {
    static let databaseTableName = "mail_templates"

    var topic: MailTopic
    var subject: String
    var textBody: String
    var htmlBody: String
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case topic, subject
        case textBody = "text_body", htmlBody = "html_body", updatedAt = "updated_at"
    }

    var template: MailTemplate { MailTemplate(subject: subject, text: textBody, html: htmlBody) }
}

/// A row of a shop's `account_tokens`.
struct AccountTokenRecord: StoredRecord {
    static let databaseTableName = "account_tokens"

    var tokenHash: String
    var userID: UUID
    var purpose: AccountToken.Purpose
    var email: String
    var expiresAt: Date
    var usedAt: Date?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case purpose, email
        case tokenHash = "token_hash", userID = "user_id", expiresAt = "expires_at", usedAt = "used_at", createdAt = "created_at"
    }

    enum Columns {
        static let userID = Column(CodingKeys.userID)
        static let purpose = Column(CodingKeys.purpose)
        static let usedAt = Column(CodingKeys.usedAt)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    init(_ token: AccountToken) {
        (tokenHash, userID, purpose, email) = (token.tokenHash, token.userID, token.purpose, token.email)
        (expiresAt, usedAt, createdAt) = (token.expiresAt, token.usedAt, token.createdAt)
    }

    var token: AccountToken {
        AccountToken(tokenHash: tokenHash, userID: userID, purpose: purpose, email: email, expiresAt: expiresAt, usedAt: usedAt, createdAt: createdAt)
    }
}
