import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A mail transport that keeps what the delivery worker hands it.
final class RecordingMailTransport: MailTransport {
    let name = "recording"
    private let messages = Mutex<[MIMEMessage]>([])
    var sent: [MIMEMessage] { messages.withLock { $0 } }

    func send(_ message: MIMEMessage) async throws {
        messages.withLock { $0.append(message) }
    }

    /// Waits (bounded) for a message to `recipient` whose topic header is `topic`.
    func awaitMessage(to recipient: String, topic: MailTopic, seconds: Double = 10) async throws -> MIMEMessage {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let found = sent.first(where: { $0.to.address == recipient && $0.extraHeaders.contains { $0 == ("X-Emporium-Topic", topic.rawValue) } }) {
                return found
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("no \(topic.rawValue) message to \(recipient) within \(seconds) s; sent: \(sent.map { "\($0.to.address) \($0.subject)" })")
    }

    func count(to recipient: String, topic: MailTopic) -> Int {
        sent.filter { $0.to.address == recipient && $0.extraHeaders.contains { $0 == ("X-Emporium-Topic", topic.rawValue) } }.count
    }
}

/// The link's `token=` value from a message's text part.
func mailedToken(in message: MIMEMessage) throws -> String {
    guard let range = message.text.range(of: #"token=[A-Za-z0-9_-]+"#, options: .regularExpression) else {
        throw TestFailure("no token in: \(message.text)")
    }
    return String(message.text[range].dropFirst("token=".count))
}

@Suite("Mail through the API: reset and verification links, order messages, templates, health")
struct MailFlowTests {
    static func post(_ client: some TestClientProtocol, _ path: String, _ body: String, token: String? = nil) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1" + path, method: .post, headers: .json(token: token, tenant: "shop"), body: ByteBuffer(string: body))
    }

    @Test func aResetLinkFromTheMailSetsTheNewPasswordOnceAndSignsEverySessionOut() async throws {
        let mail = RecordingMailTransport()
        let app = try TestApp.make(mailTransport: mail)
        let shop = try await app.shop()
        try await app.user("ann@example.com", role: .customer, in: shop)
        try await app.run { client in
            let session = try await app.signIn(client, "ann@example.com")
            let asked = try await Self.post(client, "/auth/password-reset", #"{"email":"Ann@Example.com"}"#)
            #expect(asked.status == .accepted)
            let unknown = try await Self.post(client, "/auth/password-reset", #"{"email":"nobody@example.com"}"#)
            #expect(unknown.status == .accepted)
            #expect(try unknown.json()["data"] as? [String: String] == asked.json()["data"] as? [String: String],
                    "the answer never tells whether the address has an account")

            let message = try await mail.awaitMessage(to: "ann@example.com", topic: .passwordReset)
            #expect(message.text.contains("http://localhost:3000/#/reset-password?token="))
            let token = try mailedToken(in: message)
            let confirmed = try await Self.post(client, "/auth/password-reset/confirm", #"{"token":"\#(token)","newPassword":"a-new-password-1"}"#)
            #expect(confirmed.status == .ok)
            let again = try await Self.post(client, "/auth/password-reset/confirm", #"{"token":"\#(token)","newPassword":"another-password-2"}"#)
            #expect(again.status == .unprocessableContent, "a link works once")
            let oldRefresh = try await Self.post(client, "/auth/refresh", #"{"refreshToken":"\#(session["refreshToken"] as! String)"}"#)
            #expect(oldRefresh.status == .unauthorized, "every session ended")
            _ = try await app.signIn(client, "ann@example.com", password: "a-new-password-1")
            _ = try await mail.awaitMessage(to: "ann@example.com", topic: .passwordChanged)
            #expect(mail.count(to: "nobody@example.com", topic: .passwordReset) == 0)
        }
    }

    @Test func resetLinksExpireAfterThirtyMinutesAndAnAccountGetsThreeAnHour() async throws {
        let mail = RecordingMailTransport()
        let clock = TestClock()
        let app = try TestApp.make(["RATE_LIMIT_MAX_REQUESTS": "1000"], clock: clock, mailTransport: mail)
        let shop = try await app.shop()
        try await app.user("bo@example.com", role: .staff, in: shop)
        try await app.run { client in
            for _ in 0..<5 {
                #expect(try await Self.post(client, "/auth/password-reset", #"{"email":"bo@example.com"}"#).status == .accepted)
            }
            let links = try await app.deps.backend.tenantStorage.read(shop) { tx in try tx.outbox.count(status: nil) }
            #expect(links == 3, "three links an hour; the other requests are answered alike and ignored")
            let message = try await mail.awaitMessage(to: "bo@example.com", topic: .passwordReset)
            #expect(message.text.contains("/admin#/reset-password?shop=shop&token="), "staff reset in the admin panel, which asks for no shop then")
            clock.advance(31 * 60)
            let late = try await Self.post(client, "/auth/password-reset/confirm", #"{"token":"\#(try mailedToken(in: message))","newPassword":"a-new-password-1"}"#)
            #expect(late.status == .unprocessableContent)
        }
    }

    @Test func signUpMailsAVerificationLinkAndAShopCanRequireItBeforeOrdering() async throws {
        let mail = RecordingMailTransport()
        let app = try TestApp.make(mailTransport: mail)
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "V", price: "5.00")
        _ = try await app.deps.settings.put(in: shop, key: MailSettings.requireVerifiedEmailKey, value: .bool(true), encrypted: false, by: .commandLine)
        try await app.run { client in
            let registered = try await Self.post(client, "/auth/register", #"{"email":"cy@example.com","password":"password-123","firstName":"Cy","lastName":"D"}"#)
            let token = try #require((try registered.json()["data"] as? [String: Any])?["accessToken"] as? String)
            let refused = try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: token, tenant: "shop"), body: orderBody(product, 1))
            #expect(refused.status == .forbidden)
            let message = try await mail.awaitMessage(to: "cy@example.com", topic: .emailVerification)
            let verified = try await Self.post(client, "/auth/verify-email", #"{"token":"\#(try mailedToken(in: message))"}"#)
            #expect(verified.status == .ok)
            #expect((try verified.json()["data"] as? [String: Any])?["emailVerified"] as? Bool == true)
            let placed = try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: token, tenant: "shop"), body: orderBody(product, 1))
            #expect(placed.status == .created)
        }
    }

    @Test func anOrderMailsTheCustomerEachStepAndStaffWhoOptedIn() async throws {
        let mail = RecordingMailTransport()
        let app = try TestApp.make(mailTransport: mail)
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "M", name: "Mug <b>", price: "12.50")
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.user("clerk@example.com", role: .staff, in: shop)
        try await app.user("quiet@example.com", role: .staff, in: shop)
        try await app.run { client in
            let clerk = try await app.accessToken(client, "clerk@example.com")
            let alerts = try await client.execute(uri: "/api/v1/auth/me/mail-alerts", method: .put, headers: .json(token: clerk, tenant: "shop"),
                                                  body: ByteBuffer(string: #"{"alerts":["staff.new_order"]}"#))
            #expect(alerts.status == .ok)
            let buyer = try await app.accessToken(client, "buyer@example.com")
            let placed = try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: buyer, tenant: "shop"), body: orderBody(product, 2))
            let order = try #require(try placed.json()["data"] as? [String: Any])
            let id = try #require(order["id"] as? String)
            let received = try await mail.awaitMessage(to: "buyer@example.com", topic: .orderReceived)
            #expect(received.subject.contains("#1001"))
            #expect(received.text.contains("2 × Mug <b>"))
            #expect(received.html.contains("Mug &lt;b&gt;"))
            #expect(received.text.contains("http://localhost:3000/#/orders/\(id)"))
            _ = try await mail.awaitMessage(to: "clerk@example.com", topic: .staffNewOrder)
            for action in ["pay", "fulfill"] {
                #expect(try await client.execute(uri: "/api/v1/orders/\(id)/\(action)", method: .post, headers: .json(token: clerk, tenant: "shop")).status == .ok)
            }
            let shipped = try await client.execute(uri: "/api/v1/orders/\(id)/ship", method: .post, headers: .json(token: clerk, tenant: "shop"),
                                                   body: ByteBuffer(string: #"{"carrier":"DHL","trackingNumber":"JD0146","trackingUrl":"https://track.example/JD0146"}"#))
            #expect(shipped.status == .ok)
            let paid = try await mail.awaitMessage(to: "buyer@example.com", topic: .orderPaid)
            #expect(paid.text.contains("Invoice 1"))
            let notice = try await mail.awaitMessage(to: "buyer@example.com", topic: .orderShipped)
            #expect(notice.text.contains("DHL") && notice.text.contains("JD0146") && notice.html.contains("https://track.example/JD0146"))
            #expect(mail.count(to: "quiet@example.com", topic: .staffNewOrder) == 0, "staff get alerts they chose, no others")
            let badShip = try await client.execute(uri: "/api/v1/orders/\(id)/ship", method: .post, headers: .json(token: clerk, tenant: "shop"),
                                                   body: ByteBuffer(string: #"{"trackingUrl":"javascript:alert(1)"}"#))
            #expect(badShip.status == .unprocessableContent)
        }
    }

    @Test func theLowStockDigestNamesAVariantOnceUntilItIsRestockedAndRunsLowAgain() async throws {
        let mail = RecordingMailTransport()
        let app = try TestApp.make(mailTransport: mail)
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "LOW", name: "Kettle", price: "30.00", stock: 12)
        let clerk = try await app.user("clerk@example.com", role: .staff, in: shop)
        try await app.user("buyer@example.com", role: .customer, in: shop)
        let now = app.deps.now()
        try await app.backend.tenantStorage.write(shop) { tx in try StaffAlerts.set([.staffLowStock], of: clerk.id, tx, at: now) }
        @Sendable func digest() async throws -> Int {
            try await app.backend.tenantStorage.write(shop) { tx in try LowStockDigest.run(tx, at: now) }
        }
        #expect(try await digest() == 0, "nothing is low yet")
        try await app.run { client in
            let buyer = try await app.accessToken(client, "buyer@example.com")
            #expect(try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: buyer, tenant: "shop"), body: orderBody(product, 3)).status == .created)
            #expect(try await digest() == 1)
            #expect(try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: buyer, tenant: "shop"), body: orderBody(product, 1)).status == .created)
            #expect(try await digest() == 0, "one digest per variant running low, not one per unit")
            let message = try await mail.awaitMessage(to: "clerk@example.com", topic: .staffLowStock)
            #expect(message.text.contains("LOW Kettle: 9 left"))
        }
    }

    @Test func aTemplateThatUnescapesOrIsTooLargeIsRefusedAndAGoodOneIsPreviewedAndSent() async throws {
        let mail = RecordingMailTransport()
        let app = try TestApp.make(["MAX_BODY_BYTES": "16777216"], mailTransport: mail)
        let shop = try await app.shop()
        try await app.user("owner@example.com", role: .owner, in: shop)
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            func put(_ body: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/mail/templates/order.received", method: .put, headers: .json(token: owner, tenant: "shop"),
                                         body: ByteBuffer(string: body))
            }
            #expect(try await put(#"{"subject":"Hi","text":"t","html":"{{{firstName}}}"}"#).status == .unprocessableContent)
            let huge = String(repeating: "x", count: 10 * 1024 * 1024)
            let tooLarge = try await put(#"{"subject":"Hi","text":"t","html":"\#(huge)"}"#)
            #expect(tooLarge.status == .unprocessableContent)
            #expect(String(buffer: tooLarge.body).contains("65536"))
            let saved = try await put(#"{"subject":"Danke, {{firstName}}! Bestellung {{orderNumber}}","text":"Summe {{total}}","html":"<p>{{firstName}}</p>"}"#)
            #expect(saved.status == .ok)
            let preview = try await client.execute(uri: "/api/v1/mail/templates/order.received/preview", method: .post, headers: .json(token: owner, tenant: "shop"))
            let rendered = try #require(try preview.json()["data"] as? [String: Any])
            #expect(rendered["subject"] as? String == "Danke, Ada! Bestellung 1042")
            let test = try await client.execute(uri: "/api/v1/mail/templates/order.received/test", method: .post, headers: .json(token: owner, tenant: "shop"))
            #expect(test.status == .accepted)
            let sent = try await mail.awaitMessage(to: "owner@example.com", topic: .orderReceived)
            #expect(sent.subject == "Danke, Ada! Bestellung 1042")
            let list = try await client.execute(uri: "/api/v1/mail/messages?status=sent", method: .get, headers: .json(token: owner, tenant: "shop"))
            let messages = try #require((try list.json()["data"] as? [String: Any])?["messages"] as? [[String: Any]])
            #expect(messages.first?["recipient"] as? String == "owner@example.com")
            #expect(try await client.execute(uri: "/api/v1/mail/templates/order.received", method: .delete, headers: .json(token: owner, tenant: "shop")).status == .noContent)
        }
    }

    @Test func healthSaysMailIsNotConfiguredWithoutATransportAndTheOutboxStillFills() async throws {
        let app = try TestApp.make()
        let shop = try await app.shop()
        try await app.user("dee@example.com", role: .owner, in: shop)
        try await app.run { client in
            let health = try await client.execute(uri: "/health", method: .get)
            let notices = try #require(try health.json()["notices"] as? [String: String])
            #expect(notices["mail"]?.hasPrefix("not configured") == true)
            #expect(try await Self.post(client, "/auth/password-reset", #"{"email":"dee@example.com"}"#).status == .accepted)
            let owner = try await app.accessToken(client, "dee@example.com")
            let status = try await client.execute(uri: "/api/v1/mail/status", method: .get, headers: .json(token: owner, tenant: "shop"))
            let data = try #require(try status.json()["data"] as? [String: Any])
            #expect(data["configured"] as? Bool == false)
            #expect(data["queued"] as? Int == 1)
        }
        let configured = try TestApp.make(mailTransport: RecordingMailTransport())
        try await configured.run { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(try health.json()["notices"] == nil)
        }
    }
}
