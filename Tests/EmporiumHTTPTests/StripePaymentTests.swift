import EmporiumCore
import EmporiumHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

extension TestApp {
    /// Makes `shop` take payments through Stripe, with the stand-in's keys, as its owner would.
    func useStripe(_ client: some TestClientProtocol, owner: String) async throws {
        let headers = HTTPFields.json(token: owner, tenant: "shop")
        for (key, value, encrypted) in [
            ("payments.stripe.secretKey", StripeStandIn.secretKey, true),
            ("payments.stripe.webhookSecret", StripeStandIn.webhookSecret, true),
            ("payments.stripe.publishableKey", StripeStandIn.publishableKey, false),
            ("payments.provider", "stripe", false),
        ] {
            let response = try await client.execute(uri: "/api/v1/settings/\(key)", method: .put, headers: headers,
                                                    body: ByteBuffer(string: #"{"value":"\#(value)","encrypted":\#(encrypted)}"#))
            guard response.status == .ok else { throw TestFailure("\(key): \(response.status) \(String(buffer: response.body))") }
        }
    }

    /// Places an order of `quantity` teapots as the buyer and returns its id and total in minor units.
    func placeOrder(_ client: some TestClientProtocol, buyer: HTTPFields, product: UUID, quantity: Int = 1) async throws -> (id: String, totalMinor: Int) {
        let placed = try await client.execute(uri: "/api/v1/orders", method: .post, headers: buyer,
                                              body: ByteBuffer(string: #"{"items":[{"productId":"\#(product.lowercased)","quantity":\#(quantity)}]}"#))
        guard placed.status == .created, let order = try placed.json()["data"] as? [String: Any], let id = order["id"] as? String,
              let total = order["total"] as? Double else { throw TestFailure("order: \(placed.status) \(String(buffer: placed.body))") }
        return (id, Int((total * 100).rounded()))
    }

    func order(_ client: some TestClientProtocol, _ id: String, as headers: HTTPFields) async throws -> [String: Any] {
        try #require(try await client.execute(uri: "/api/v1/orders/\(id)", method: .get, headers: headers).json()["data"] as? [String: Any])
    }
}

func webhookHeaders(_ signature: String) -> HTTPFields {
    [.contentType: "application/json", HTTPField.Name("X-Tenant-ID")!: "shop", HTTPField.Name("Stripe-Signature")!: signature]
}

@Suite("Payments: Stripe against a local stand-in, and manual")
struct StripePaymentTests {

    /// A shop taking payments through a running Stripe stand-in, with a teapot for sale and a
    /// signed-in customer: what every Stripe test starts from.
    func withStripeShop(_ body: @escaping @Sendable (StripeStandIn, TestApp, TestClock, any TestClientProtocol, UUID, Product, String, HTTPFields) async throws -> Void) async throws {
        let standIn = StripeStandIn()
        try await standIn.run { stripeURL in
            let clock = TestClock()
            let app = try TestApp.make(["STRIPE_API_URL": stripeURL], clock: clock)
            let (shop, _) = try await app.commerceShop()
            let teapot = try await app.product(in: shop, sku: "TEA", price: "19.99")
            try await app.user("buyer@example.com", role: .customer, in: shop)
            try await app.run { client in
                let owner = try await app.accessToken(client, "owner@example.com")
                try await app.useStripe(client, owner: owner)
                let buyer = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
                try await body(standIn, app, clock, client, shop, teapot, owner, buyer)
            }
        }
    }
    /// The whole path of a Stripe order: a PaymentIntent for the order's own total with an
    /// idempotency key, the same intent again on a retry, staff cannot mark it paid, only a signed
    /// `payment_intent.succeeded` pays it (once, however often it is delivered), and a refund goes
    /// through Stripe before the order is refunded.
    @Test func aStripeOrderIsPaidOnlyByAVerifiedEventOnceAndRefundedThroughStripe() async throws {
        try await withStripeShop { standIn, app, clock, client, shop, teapot, owner, buyer in
            let staff = HTTPFields.json(token: owner, tenant: "shop")
            let (id, total) = try await app.placeOrder(client, buyer: buyer, product: teapot.id, quantity: 2)
            #expect(total == 3998)

            let started = try await client.execute(uri: "/api/v1/orders/\(id)/payment", method: .post, headers: buyer)
            #expect(started.status == .ok, "\(String(buffer: started.body))")
            let session = try #require(try started.json()["data"] as? [String: Any])
            #expect(session["provider"] as? String == "stripe")
            #expect(session["clientSecret"] as? String == "pi_standin1_secret_standin")
            #expect(session["publishableKey"] as? String == StripeStandIn.publishableKey)
            #expect(session["amount"] as? Double == 39.98)
            let sent = try #require(standIn.requests.first)
            #expect(sent.path == "/v1/payment_intents")
            #expect(sent.headers[.authorization] == "Bearer \(StripeStandIn.secretKey)")
            #expect(sent.headers[HTTPField.Name("Idempotency-Key")!] == "emporium-order-\(id)-intent")
            #expect(sent.headers[.contentType] == "application/x-www-form-urlencoded")
            #expect(sent.form["amount"] == "3998")
            #expect(sent.form["currency"] == "usd")
            #expect(sent.form["metadata[order_id]"] == id)
            #expect(sent.form["automatic_payment_methods[enabled]"] == "true")

            // A second click answers the same intent: Stripe saw the same idempotency key.
            let again = try await client.execute(uri: "/api/v1/orders/\(id)/payment", method: .post, headers: buyer)
            #expect((try again.json()["data"] as? [String: Any])?["reference"] as? String == "pi_standin1")
            #expect(standIn.requests.count == 2)

            let markPaid = try await client.execute(uri: "/api/v1/orders/\(id)/pay", method: .post, headers: staff)
            #expect(markPaid.status == .conflict)
            #expect(try await app.order(client, id, as: staff)["status"] as? String == "pending")

            let event = StripeStandIn.event(id: "evt_paid_1", type: "payment_intent.succeeded",
                                            object: StripeStandIn.succeeded(intent: "pi_standin1", amountMinor: 3998, orderID: id), time: clock.now)
            let delivered = try await client.execute(uri: "/api/v1/payments/stripe/webhook", method: .post,
                                                     headers: webhookHeaders(event.signature), body: event.body)
            #expect(delivered.status == .ok, "\(String(buffer: delivered.body))")
            #expect((try delivered.json()["data"] as? [String: Any])?["outcome"] as? String == "paid")
            let paid = try await app.order(client, id, as: staff)
            #expect(paid["status"] as? String == "paid")
            #expect(paid["invoiceNumber"] as? Int == 1)
            #expect(paid["paymentProvider"] as? String == "stripe")

            // Stripe retries deliveries: the replay is acknowledged and moves nothing.
            let replay = try await client.execute(uri: "/api/v1/payments/stripe/webhook", method: .post,
                                                  headers: webhookHeaders(event.signature), body: event.body)
            #expect(replay.status == .ok)
            #expect((try replay.json()["data"] as? [String: Any])?["duplicate"] as? Bool == true)
            #expect((try await app.order(client, id, as: staff)["history"] as? [Any])?.count == 2)

            let refunded = try await client.execute(uri: "/api/v1/orders/\(id)/refund", method: .post, headers: staff,
                                                    body: ByteBuffer(string: #"{"restock":true}"#))
            #expect(refunded.status == .ok, "\(String(buffer: refunded.body))")
            #expect((try refunded.json()["data"] as? [String: Any])?["status"] as? String == "refunded")
            let refund = try #require(standIn.requests.last)
            #expect(refund.path == "/v1/refunds")
            #expect(refund.form["payment_intent"] == "pi_standin1")
            #expect(refund.form["amount"] == "3998")
            #expect(refund.headers[HTTPField.Name("Idempotency-Key")!] == "emporium-order-\(id)-refund")
            let stock = try #require(try await client.execute(uri: "/api/v1/products/\(teapot.id.lowercased)", method: .get,
                                                              headers: staff).json()["data"] as? [String: Any])
            #expect((stock["inventory"] as? [String: Any])?["stock"] as? Int == 10)

            // Stripe's own charge.refunded for the same refund arrives afterwards: nothing left to do.
            let echo = StripeStandIn.event(id: "evt_refund_1", type: "charge.refunded",
                                           object: StripeStandIn.refundedCharge(intent: "pi_standin1", amountMinor: 3998), time: clock.now)
            let echoed = try await client.execute(uri: "/api/v1/payments/stripe/webhook", method: .post,
                                                  headers: webhookHeaders(echo.signature), body: echo.body)
            #expect((try echoed.json()["data"] as? [String: Any])?["outcome"] as? String == "already-refunded")

            let audit = try #require(try await client.execute(uri: "/api/v1/audit-logs?action=payment.refunded", method: .get,
                                                              headers: staff).json()["data"] as? [String: Any])
            #expect((audit["auditLogs"] as? [Any])?.count == 1)
        }
    }

    /// Forged, tampered, stale and unsigned deliveries are 400 and leave the order pending; an
    /// event whose amount or currency differs from the order's total never pays it.
    @Test func forgedStaleAndMismatchedEventsMoveNothing() async throws {
        try await withStripeShop { standIn, app, clock, client, shop, teapot, owner, buyer in
            let (id, total) = try await app.placeOrder(client, buyer: buyer, product: teapot.id)
            _ = try await client.execute(uri: "/api/v1/orders/\(id)/payment", method: .post, headers: buyer)
            let object = StripeStandIn.succeeded(intent: "pi_standin1", amountMinor: total, orderID: id)

            let forged = StripeStandIn.event(id: "evt_1", type: "payment_intent.succeeded", object: object, time: clock.now,
                                             secret: "whsec_someone_else")
            let stale = StripeStandIn.event(id: "evt_2", type: "payment_intent.succeeded", object: object, time: clock.now.addingTimeInterval(-301))
            let future = StripeStandIn.event(id: "evt_3", type: "payment_intent.succeeded", object: object, time: clock.now.addingTimeInterval(301))
            let genuine = StripeStandIn.event(id: "evt_4", type: "payment_intent.succeeded", object: object, time: clock.now)
            let tampered = ByteBuffer(string: String(buffer: genuine.body).replacingOccurrences(of: "\(total)", with: "1"))
            let cases: [(String, ByteBuffer, String?)] = [
                ("another secret", forged.body, forged.signature), ("301 s old", stale.body, stale.signature),
                ("301 s ahead", future.body, future.signature), ("tampered body", tampered, genuine.signature),
                ("no signature", genuine.body, nil), ("garbage header", genuine.body, "t=abc,v1=zz"),
            ]
            for (name, body, signature) in cases {
                var headers: HTTPFields = [.contentType: "application/json", HTTPField.Name("X-Tenant-ID")!: "shop"]
                if let signature { headers[HTTPField.Name("Stripe-Signature")!] = signature }
                let response = try await client.execute(uri: "/api/v1/payments/stripe/webhook", method: .post, headers: headers, body: body)
                #expect(response.status == .badRequest, "\(name): \(response.status)")
            }
            #expect(try await app.order(client, id, as: buyer)["status"] as? String == "pending")

            for (eventID, object) in [
                ("evt_short", StripeStandIn.succeeded(intent: "pi_standin1", amountMinor: total - 1, orderID: id)),
                ("evt_eur", StripeStandIn.succeeded(intent: "pi_standin1", amountMinor: total, currency: "eur", orderID: id)),
            ] {
                let event = StripeStandIn.event(id: eventID, type: "payment_intent.succeeded", object: object, time: clock.now)
                let response = try await client.execute(uri: "/api/v1/payments/stripe/webhook", method: .post,
                                                        headers: webhookHeaders(event.signature), body: event.body)
                #expect((try response.json()["data"] as? [String: Any])?["outcome"] as? String == "mismatch")
            }
            #expect(try await app.order(client, id, as: buyer)["status"] as? String == "pending")

            // A payment for an intent this shop never created pays nothing and is left for staff.
            let stranger = StripeStandIn.event(id: "evt_unknown", type: "payment_intent.succeeded",
                                               object: StripeStandIn.succeeded(intent: "pi_elsewhere", amountMinor: total, orderID: id), time: clock.now)
            let unmatched = try await client.execute(uri: "/api/v1/payments/stripe/webhook", method: .post,
                                                     headers: webhookHeaders(stranger.signature), body: stranger.body)
            #expect((try unmatched.json()["data"] as? [String: Any])?["outcome"] as? String == "unmatched")
            #expect(try await app.order(client, id, as: buyer)["status"] as? String == "pending")
        }
    }

    /// An order that expired (its stock back on the shelf) and is paid afterwards is refunded at
    /// once instead of being sold twice; Stripe being down or declining is 503/409 with nothing
    /// recorded on the order.
    @Test func aPaymentAfterExpiryIsRefundedAndStripeFailuresAreClearErrors() async throws {
        try await withStripeShop { standIn, app, clock, client, shop, teapot, owner, buyer in

            let (down, _) = try await app.placeOrder(client, buyer: buyer, product: teapot.id)
            standIn.failNext(.outage)
            let outage = try await client.execute(uri: "/api/v1/orders/\(down)/payment", method: .post, headers: buyer)
            #expect(outage.status == .serviceUnavailable)
            #expect(try await app.order(client, down, as: buyer)["paymentProvider"] == nil)
            standIn.failNext(.cardDeclined)
            #expect(try await client.execute(uri: "/api/v1/orders/\(down)/payment", method: .post, headers: buyer).status == .conflict)

            let (id, total) = try await app.placeOrder(client, buyer: buyer, product: teapot.id)
            let session = try await client.execute(uri: "/api/v1/orders/\(id)/payment", method: .post, headers: buyer)
            let intent = try #require((try session.json()["data"] as? [String: Any])?["reference"] as? String)
            clock.advance(16 * 60)
            // The customer paid just before the sweep: Stripe refuses to cancel, which is audited.
            standIn.failNext(.alreadySucceeded)
            #expect(try await app.deps.payments.expireUnpaid(in: shop, orders: app.deps.orders) == 2)
            #expect(try await app.order(client, id, as: buyer)["status"] as? String == "cancelled")
            #expect(standIn.requests.filter { $0.path.hasSuffix("/cancel") }.map(\.path) == ["/v1/payment_intents/\(intent)/cancel"],
                    "only the order whose payment was started is called off")
            let audit = try await client.execute(uri: "/api/v1/audit-logs?action=payment.cancel_failed", method: .get, headers: .json(token: owner, tenant: "shop"))
            #expect(String(buffer: audit.body).contains(id), "\(String(buffer: audit.body))")

            let late = StripeStandIn.event(id: "evt_late", type: "payment_intent.succeeded",
                                           object: StripeStandIn.succeeded(intent: intent, amountMinor: total, orderID: id), time: clock.now)
            let response = try await client.execute(uri: "/api/v1/payments/stripe/webhook", method: .post,
                                                    headers: webhookHeaders(late.signature), body: late.body)
            #expect((try response.json()["data"] as? [String: Any])?["outcome"] as? String == "late-refund")
            #expect(try await app.order(client, id, as: buyer)["status"] as? String == "cancelled")
            let refund = try #require(standIn.requests.last)
            #expect(refund.path == "/v1/refunds")
            #expect(refund.form["payment_intent"] == intent)
            #expect(refund.form["amount"] == String(total))
        }
    }

    /// An unpaid Stripe order that expires, or that its customer cancels, has its PaymentIntent
    /// cancelled at Stripe (so the open payment page can no longer charge); while Stripe says the
    /// payment is going through, cancelling is 409 and the order stays pending.
    @Test func expiredAndCancelledStripeOrdersCallOffTheirPaymentIntents() async throws {
        try await withStripeShop { standIn, app, clock, client, shop, teapot, owner, buyer in
            func started() async throws -> (id: String, intent: String) {
                let (id, _) = try await app.placeOrder(client, buyer: buyer, product: teapot.id)
                let session = try await client.execute(uri: "/api/v1/orders/\(id)/payment", method: .post, headers: buyer)
                return (id, try #require((try session.json()["data"] as? [String: Any])?["reference"] as? String))
            }
            let paying = try await started()
            standIn.failNext(.alreadySucceeded)
            let refused = try await client.execute(uri: "/api/v1/orders/\(paying.id)/cancel", method: .post, headers: buyer)
            #expect(refused.status == .conflict, "\(String(buffer: refused.body))")
            #expect(try await app.order(client, paying.id, as: buyer)["status"] as? String == "pending")

            let cancelled = try await client.execute(uri: "/api/v1/orders/\(paying.id)/cancel", method: .post, headers: buyer)
            #expect(cancelled.status == .ok)
            let call = try #require(standIn.requests.last)
            #expect(call.path == "/v1/payment_intents/\(paying.intent)/cancel")
            #expect(call.form["cancellation_reason"] == "abandoned")
            #expect(call.headers[HTTPField.Name("Idempotency-Key")!] == "emporium-order-\(paying.id)-cancel")

            let abandoned = try await started()
            clock.advance(16 * 60)
            #expect(try await app.deps.payments.expireUnpaid(in: shop, orders: app.deps.orders) == 1)
            #expect(try await app.order(client, abandoned.id, as: buyer)["status"] as? String == "cancelled")
            #expect(standIn.requests.last?.path == "/v1/payment_intents/\(abandoned.intent)/cancel")
            let audit = try await client.execute(uri: "/api/v1/audit-logs?action=payment.cancelled", method: .get, headers: .json(token: owner, tenant: "shop"))
            let text = String(buffer: audit.body)
            #expect(text.contains(paying.id) && text.contains(abandoned.id), "\(text)")
        }
    }

    /// Manual payments answer the shop's instructions and stay the staff's to mark paid; Stripe's
    /// secrets are refused unless encrypted and never shown; a shop without Stripe keys says so.
    @Test func manualPaymentsAndPaymentSettingsRules() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "TEA", price: "19.99")
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.user("other@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let staff = HTTPFields.json(token: owner, tenant: "shop")
            let buyer = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            let other = HTTPFields.json(token: try await app.accessToken(client, "other@example.com"), tenant: "shop")
            let put: (String, String) async throws -> HTTPResponse.Status = { key, body in
                try await client.execute(uri: "/api/v1/settings/\(key)", method: .put, headers: staff, body: ByteBuffer(string: body)).status
            }
            #expect(try await put("payments.manual.instructions", #"{"value":"IBAN DE00 1234, reference your order number"}"#) == .ok)
            let (id, _) = try await app.placeOrder(client, buyer: buyer, product: teapot.id)
            let session = try await client.execute(uri: "/api/v1/orders/\(id)/payment", method: .post, headers: buyer)
            let data = try #require(try session.json()["data"] as? [String: Any])
            #expect(data["provider"] as? String == "manual")
            #expect((data["instructions"] as? String)?.contains("IBAN DE00 1234") == true)
            #expect(data["clientSecret"] == nil)
            #expect(try await client.execute(uri: "/api/v1/orders/\(id)/payment", method: .post, headers: other).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/orders/\(id)/pay", method: .post, headers: staff).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/orders/\(id)/payment", method: .post, headers: buyer).status == .conflict)

            #expect(try await put("payments.stripe.secretKey", #"{"value":"sk_test_plaintext_key"}"#) == .unprocessableContent)
            #expect(try await put("payments.stripe.webhookSecret", #"{"value":"whsec_plain"}"#) == .unprocessableContent)
            #expect(try await put("payments.stripe.secretKey", #"{"value":"pk_wrong_kind_of_key","encrypted":true}"#) == .unprocessableContent)
            #expect(try await put("payments.provider", #"{"value":"paypal"}"#) == .unprocessableContent)
            #expect(try await put("payments.provider", #"{"value":"stripe"}"#) == .ok)
            let (unpaid, _) = try await app.placeOrder(client, buyer: buyer, product: teapot.id)
            let unconfigured = try await client.execute(uri: "/api/v1/orders/\(unpaid)/payment", method: .post, headers: buyer)
            #expect(unconfigured.status == .serviceUnavailable)
            #expect(String(buffer: unconfigured.body).contains("payments.stripe.secretKey"))
            let webhook = try await client.execute(uri: "/api/v1/payments/stripe/webhook", method: .post,
                                                   headers: webhookHeaders("t=1,v1=00"), body: ByteBuffer(string: "{}"))
            #expect(webhook.status == .notFound)

            #expect(try await put("payments.stripe.secretKey", #"{"value":"\#(StripeStandIn.secretKey)","encrypted":true}"#) == .ok)
            let listed = try await client.execute(uri: "/api/v1/settings", method: .get, headers: staff)
            #expect(!String(buffer: listed.body).contains(StripeStandIn.secretKey))
        }
    }
}
