import EmporiumCore
import Foundation

/// An outbox message as the admin panel lists it: never its payload (order lines, a sealed link).
struct MailMessageDTO: Encodable, Sendable {
    let id: String
    let topic: String
    let recipient: String
    let status: String
    let attempts: Int
    let nextAttemptAt: Date
    @NullWhenAbsent var lastError: String?
    let createdAt: Date
    @NullWhenAbsent var sentAt: Date?

    init(_ message: OutboxMessage) {
        id = message.id.lowercased
        topic = message.topic
        recipient = message.recipient
        status = message.status.rawValue
        attempts = message.attempts
        nextAttemptAt = message.nextAttemptAt
        lastError = message.lastError
        createdAt = message.createdAt
        sentAt = message.sentAt
    }
}

struct MailAttemptDTO: Encodable, Sendable {
    let number: Int
    let at: Date
    let outcome: String
    @NullWhenAbsent var error: String?

    init(_ attempt: OutboxAttempt) {
        number = attempt.number
        at = attempt.at
        outcome = attempt.outcome.rawValue
        error = attempt.error
    }
}

struct MailMessageDetailDTO: Encodable, Sendable {
    let message: MailMessageDTO
    let attempts: [MailAttemptDTO]
}

struct MailStatusDTO: Encodable, Sendable {
    /// False while `MAIL_URL` is unset: messages are queued and nothing is sent.
    let configured: Bool
    @NullWhenAbsent var transport: String?
    let queued: Int
    let dead: Int

    init(_ status: MailService.Status) {
        configured = status.configured
        transport = status.transport
        queued = status.counts.queued
        dead = status.counts.dead
    }
}

struct MailTemplateDTO: Encodable, Sendable {
    let topic: String
    let subject: String
    let text: String
    let html: String
    /// False while the shop sends the built-in words.
    let customized: Bool
    @NullWhenAbsent var updatedAt: Date?

    init(_ view: MailService.TemplateView) {
        topic = view.topic.rawValue
        subject = view.template.subject
        text = view.template.text
        html = view.template.html
        customized = view.customized
        updatedAt = view.updatedAt
    }
}

struct MailPreviewDTO: Encodable, Sendable {
    let subject: String
    let text: String
    let html: String

    init(_ rendered: RenderedMail) {
        subject = rendered.subject
        text = rendered.text
        html = rendered.html
    }
}
