import Foundation

/// A shop's mail as its staff see it in the admin panel: whether mail is on, the recent messages
/// with their attempts, resending one, the templates with a preview, and a test message to oneself.
public struct MailService: Sendable {
    let storage: any TenantStorage
    /// nil when `MAIL_URL` is unset.
    let sender: MailSender?
    let box: SecretBox
    let identity: @Sendable (UUID) async throws -> ShopMailIdentity
    let schedule: RetrySchedule
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, sender: MailSender?, box: SecretBox, identity: @escaping @Sendable (UUID) async throws -> ShopMailIdentity,
                schedule: RetrySchedule = .standard, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.schedule = schedule
        self.sender = sender
        self.box = box
        self.identity = identity
        self.now = now
    }

    /// The worker's delivery, or nil when mail is off.
    public func delivery(observe: @escaping @Sendable (_ transport: String, _ outcome: OutboxAttempt.Outcome) -> Void) -> OutboxDelivery? {
        sender.map { OutboxDelivery(storage: storage, senders: [$0], schedule: schedule, now: now, observe: observe) }
    }

    /// Where a shop's links point: `mail.linkBaseURL` when set (read at send time), else its own
    /// domain, else its subdomain of `BASE_DOMAIN`, else `PUBLIC_URL`.
    public static func baseURL(of tenant: Tenant, baseDomain: String?, publicURL: String) -> String {
        if let domain = tenant.domain, !domain.isEmpty { return "https://\(domain)" }
        if let baseDomain, !baseDomain.isEmpty { return "https://\(tenant.subdomain).\(baseDomain)" }
        return publicURL
    }

    public struct Status: Sendable, Equatable {
        public var configured: Bool
        public var transport: String?
        public var counts: OutboxCounts
    }

    public func status(in tenantID: UUID, by actor: Actor) async throws -> Status {
        try actor.require(.settingsRead)
        let counts = try await storage.read(tenantID) { tx in try tx.outbox.counts(.mail) }
        return Status(configured: sender != nil, transport: sender?.transportName, counts: counts)
    }

    public func messages(in tenantID: UUID, status: OutboxStatus?, page: Page, by actor: Actor) async throws -> (messages: [OutboxMessage], total: Int) {
        try actor.require(.settingsRead)
        return try await storage.read(tenantID) { tx in
            (try tx.outbox.recent(status: status, page: page).filter { $0.channel == .mail }, try tx.outbox.count(status: status))
        }
    }

    public func message(in tenantID: UUID, id: String, by actor: Actor) async throws -> (message: OutboxMessage, attempts: [OutboxAttempt]) {
        try actor.require(.settingsRead)
        guard let messageID = UUID(uuidString: id) else { throw DomainError.notFound("No message '\(id)'") }
        let found = try await storage.read(tenantID) { tx -> (OutboxMessage, [OutboxAttempt])? in
            guard let message = try tx.outbox.message(id: messageID), message.channel == .mail else { return nil }
            return (message, try tx.outbox.attempts(of: messageID))
        }
        guard let found else { throw DomainError.notFound("No message '\(id)'") }
        return found
    }

    /// Sends a message again: a dead one goes back in the queue as it was (it never arrived, so it
    /// keeps its `Message-ID`); a sent one is copied as a new message with a new id. A queued one is
    /// already on its way (409).
    public func resend(in tenantID: UUID, id: String, by actor: Actor) async throws -> OutboxMessage {
        try actor.require(.settingsWrite)
        guard let messageID = UUID(uuidString: id) else { throw DomainError.notFound("No message '\(id)'") }
        let timestamp = now()
        return try await storage.write(tenantID) { tx in
            guard var message = try tx.outbox.message(id: messageID), message.channel == .mail else { throw DomainError.notFound("No message '\(id)'") }
            let resent: OutboxMessage
            switch message.status {
            case .queued:
                throw DomainError.conflict("This message is still queued: it is sent at its next attempt")
            case .dead:
                message.status = .queued
                message.nextAttemptAt = timestamp
                try tx.outbox.record(OutboxAttempt(number: message.attempts, at: timestamp, outcome: .failed, error: "resent by a person"), of: message)
                resent = message
            case .sent:
                resent = try tx.outbox.enqueue(.new(.mail, topic: message.topic, to: message.recipient, payload: message.payload, at: timestamp))
            }
            try tx.audit.record(AuditEntry("mail.resent", on: "outbox", id: message.id.lowercased, by: actor,
                                           new: .object(["topic": .string(message.topic), "status": .string(message.status.rawValue)]), at: timestamp))
            return resent
        }
    }

    public struct TemplateView: Sendable, Equatable {
        public var topic: MailTopic
        public var template: MailTemplate
        public var customized: Bool
        public var updatedAt: Date?
    }

    public func templates(in tenantID: UUID, by actor: Actor) async throws -> [TemplateView] {
        try actor.require(.settingsRead)
        let custom = try await storage.read(tenantID) { tx in try tx.mailTemplates.customized() }
        return MailTopic.allCases.map { topic in
            if let stored = custom[topic] {
                return TemplateView(topic: topic, template: stored.template, customized: true, updatedAt: stored.updatedAt)
            }
            return TemplateView(topic: topic, template: topic.defaultTemplate, customized: false, updatedAt: nil)
        }
    }

    public func template(in tenantID: UUID, topic: String, by actor: Actor) async throws -> TemplateView {
        let topic = try Self.topic(topic)
        return try await templates(in: tenantID, by: actor).first { $0.topic == topic }!
    }

    /// Stores the shop's own version after `MailTemplate.validated` and a trial render over the
    /// topic's sample, so an editor learns of a problem now, not when a customer's mail fails.
    public func saveTemplate(in tenantID: UUID, topic rawTopic: String, _ template: MailTemplate, by actor: Actor) async throws -> TemplateView {
        try actor.require(.settingsWrite)
        let topic = try Self.topic(rawTopic)
        let checked = try template.validated()
        _ = try MailRenderer.render(checked, payload: try MailSender.renderingData(topic.samplePayload, shop: ShopMailIdentity(name: "Shop", baseURL: "https://shop.example"), box: box))
        let timestamp = now()
        try await storage.write(tenantID) { tx in
            try tx.mailTemplates.save(checked, for: topic, at: timestamp)
            try tx.audit.record(AuditEntry("mail.template_saved", on: "mail_template", id: topic.rawValue, by: actor,
                                           new: .object(["subject": .string(checked.subject)]), at: timestamp))
        }
        return TemplateView(topic: topic, template: checked, customized: true, updatedAt: timestamp)
    }

    /// Back to the default words.
    public func resetTemplate(in tenantID: UUID, topic rawTopic: String, by actor: Actor) async throws {
        try actor.require(.settingsWrite)
        let topic = try Self.topic(rawTopic)
        let timestamp = now()
        try await storage.write(tenantID) { tx in
            guard try tx.mailTemplates.delete(topic) else { throw DomainError.notFound("The \(topic.rawValue) template is the default already") }
            try tx.audit.record(AuditEntry("mail.template_reset", on: "mail_template", id: topic.rawValue, by: actor, at: timestamp))
        }
    }

    /// The message a template (the given one, else the stored one) makes from the topic's sample.
    public func preview(in tenantID: UUID, topic rawTopic: String, _ template: MailTemplate?, by actor: Actor) async throws -> RenderedMail {
        try actor.require(.settingsRead)
        let topic = try Self.topic(rawTopic)
        let chosen: MailTemplate
        if let template {
            chosen = try template.validated()
        } else {
            chosen = try await self.template(in: tenantID, topic: rawTopic, by: actor).template
        }
        let shop = try await identity(tenantID)
        let base = try await storage.read(tenantID) { tx in try MailSettings.current(tx.settings).linkBaseURL } ?? shop.baseURL
        return try MailRenderer.render(chosen, payload: try MailSender.renderingData(topic.samplePayload, shop: ShopMailIdentity(name: shop.name, baseURL: base), box: box))
    }

    /// "Send me a test": the topic's message over its sample, to the signed-in person's own address,
    /// through the outbox like every other message.
    public func sendTest(in tenantID: UUID, topic rawTopic: String, by actor: Actor) async throws -> OutboxMessage {
        try actor.require(.settingsWrite)
        let topic = try Self.topic(rawTopic)
        guard let userID = actor.userID else { throw DomainError.unauthorized("Sign in first: a bearer token is required") }
        let timestamp = now()
        return try await storage.write(tenantID) { tx in
            guard let user = try tx.users.user(id: userID) else { throw DomainError.unauthorized("Invalid or expired token") }
            let message = try tx.outbox.enqueue(.new(.mail, topic: topic.rawValue, to: user.email, payload: topic.samplePayload, at: timestamp))
            try tx.audit.record(AuditEntry("mail.test_queued", on: "outbox", id: message.id.lowercased, by: actor,
                                           new: .object(["topic": .string(topic.rawValue)]), at: timestamp))
            return message
        }
    }

    static func topic(_ raw: String) throws -> MailTopic {
        guard let topic = MailTopic(rawValue: raw) else { throw DomainError.notFound("No mail topic '\(raw)'") }
        return topic
    }
}
