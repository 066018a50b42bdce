import Foundation

/// What a message needs to know of its shop: the name it signs with and the public address its
/// links start with.
public struct ShopMailIdentity: Sendable, Equatable {
    public var name: String
    /// e.g. `https://shop.example.com`, without a trailing slash.
    public var baseURL: String
    /// Put where a link says `{shop}`: the admin panel's links name the shop to sign in to.
    public var subdomain: String

    public init(name: String, baseURL: String, subdomain: String = "") {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.subdomain = subdomain
    }
}

/// The outbox's mail channel: makes each message from its shop's template (or the default) and
/// payload when it is sent, and hands it to the box's transport. A message that cannot be made (a
/// template that no longer renders, an address that cannot go on the wire) is dead at once; what
/// the transport refuses for now is retried by `OutboxDelivery`.
public struct MailSender: OutboxSender {
    public let channel = OutboxChannel.mail
    let storage: any TenantStorage
    let transport: any MailTransport
    /// `MAIL_FROM`: the box's address; its display name is the shop's.
    let from: MailAddress
    let box: SecretBox
    let identity: @Sendable (UUID) async throws -> ShopMailIdentity
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, transport: any MailTransport, from: MailAddress, box: SecretBox,
                identity: @escaping @Sendable (UUID) async throws -> ShopMailIdentity, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.transport = transport
        self.from = from
        self.box = box
        self.identity = identity
        self.now = now
    }

    public var transportName: String { transport.name }

    public func send(_ message: OutboxMessage, shop: UUID) async throws {
        let mime = try await compose(message, shop: shop)
        try await transport.send(mime)
    }

    /// The message as it would go out; also what the admin panel's preview shows.
    public func compose(_ message: OutboxMessage, shop: UUID) async throws -> MIMEMessage {
        guard let topic = MailTopic(rawValue: message.topic) else { throw OutboxFailure.permanent("unknown mail topic \(message.topic)") }
        let recipient = MailAddress(address: message.recipient)
        guard recipient.isSafeOnTheWire else { throw OutboxFailure.permanent("the address \(message.recipient) cannot be sent to") }
        let shopIdentity = try await identity(shop)
        let (template, settings) = try await storage.read(shop) { tx in
            (try tx.mailTemplates.template(topic) ?? topic.defaultTemplate, try MailSettings.current(tx.settings))
        }
        let base = settings.linkBaseURL.map { ShopMailIdentity(name: shopIdentity.name, baseURL: $0).baseURL } ?? shopIdentity.baseURL
        let data = try Self.renderingData(message.payload, shop: ShopMailIdentity(name: shopIdentity.name, baseURL: base, subdomain: shopIdentity.subdomain),
                                          box: box)
        let rendered: RenderedMail
        do {
            rendered = try MailRenderer.render(template, payload: data)
        } catch {
            throw OutboxFailure.permanent("the \(topic.rawValue) template does not render: \(error)")
        }
        return MIMEMessage(from: MailAddress(name: settings.senderName ?? shopIdentity.name, address: from.address), to: recipient,
                           replyTo: settings.replyTo, subject: rendered.subject, text: rendered.text, html: rendered.html,
                           messageID: message.id, date: now(), autoSubmitted: true, extraHeaders: [("X-Emporium-Topic", topic.rawValue)])
    }

    /// The payload as templates see it: `shopName` and `shopURL` added; each `link`/`…Link` that is
    /// a path made absolute under the shop's address, with a sealed token (`sealedToken`) opened
    /// into its `{token}` place. The token itself never appears as its own value.
    static func renderingData(_ payload: JSONValue, shop: ShopMailIdentity, box: SecretBox) throws -> JSONValue {
        guard case .object(var members) = payload else { throw OutboxFailure.permanent("the payload is not an object") }
        var token: String?
        if case .string(let sealed)? = members.removeValue(forKey: "sealedToken") {
            do {
                token = try box.open(sealed)
            } catch {
                throw OutboxFailure.permanent("the link's token cannot be opened (was ENCRYPTION_KEY changed?)")
            }
        }
        for (key, value) in members where key == "link" || key.hasSuffix("Link") {
            guard case .string(let path) = value, path.hasPrefix("/") else { continue }
            var absolute = shop.baseURL + path.replacingOccurrences(of: "{shop}", with: shop.subdomain)
            if let token { absolute = absolute.replacingOccurrences(of: "{token}", with: token) }
            members[key] = .string(absolute)
        }
        members["shopName"] = .string(shop.name)
        members["shopURL"] = .string(shop.baseURL + "/")
        return .object(members)
    }
}
