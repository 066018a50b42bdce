import Foundation

/// Stripe over its REST API (https://docs.stripe.com/api): a PaymentIntent per order
/// (`POST /v1/payment_intents`), refunds (`POST /v1/refunds`) and calling off an abandoned one
/// (`POST /v1/payment_intents/{id}/cancel`), form-encoded, authorised with
/// the shop's secret key, each with an `Idempotency-Key` derived from the order so a retry — ours
/// or the customer's double click — never charges or refunds twice.
public struct StripePaymentProvider: PaymentProvider {
    /// Stripe's API version this code was written against; pinned so an account upgrade on
    /// Stripe's side cannot change the shapes we read.
    public static let apiVersion = "2024-06-20"

    let secretKey: String
    let publishableKey: String?
    /// `https://api.stripe.com`, or a stand-in's address in tests (`STRIPE_API_URL`).
    let baseURL: String
    let transport: any PaymentHTTPTransport

    public init(secretKey: String, publishableKey: String?, baseURL: String, transport: any PaymentHTTPTransport) {
        self.secretKey = secretKey
        self.publishableKey = publishableKey
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.transport = transport
    }

    public var kind: PaymentProviderKind { .stripe }

    public func start(_ payment: PaymentStart) async throws -> PaymentSession {
        guard payment.amountMinor > 0 else { throw DomainError.conflict("Order \(payment.orderNumber) has nothing to pay") }
        // Stripe takes three-decimal currencies in thousandths but only in whole hundredths.
        if Currency.exponent(payment.currency) == 3, !payment.amountMinor.isMultiple(of: 10) {
            throw DomainError.conflict("Stripe cannot charge \(payment.currency) amounts that are not whole hundredths")
        }
        let fields = [
            ("amount", String(payment.amountMinor)),
            ("currency", payment.currency.lowercased()),
            ("automatic_payment_methods[enabled]", "true"),
            ("metadata[order_id]", payment.orderID.lowercased),
            ("metadata[order_number]", String(payment.orderNumber)),
            ("description", "Order \(payment.orderNumber)"),
        ]
        let object = try await post("/v1/payment_intents", fields, idempotencyKey: "emporium-order-\(payment.orderID.lowercased)-intent")
        guard case .string(let id)? = object["id"], case .string(let secret)? = object["client_secret"] else {
            throw DomainError.unavailable("Stripe answered a payment intent without an id or client secret")
        }
        return PaymentSession(provider: .stripe, reference: id, clientSecret: secret, publishableKey: publishableKey,
                              amountMinor: payment.amountMinor, currency: payment.currency)
    }

    public func refund(reference: String, orderID: UUID, amountMinor: Int) async throws -> RefundOutcome {
        let fields = [("payment_intent", reference), ("amount", String(amountMinor)), ("metadata[order_id]", orderID.lowercased)]
        let object = try await post("/v1/refunds", fields, idempotencyKey: "emporium-order-\(orderID.lowercased)-refund")
        guard case .string(let id)? = object["id"] else { throw DomainError.unavailable("Stripe answered a refund without an id") }
        if case .string(let status)? = object["status"] { return RefundOutcome(reference: id, status: status) }
        return RefundOutcome(reference: id, status: "pending")
    }

    /// `payment_intent_unexpected_state` (the customer paid meanwhile) comes back as a conflict:
    /// the webhook of that payment refunds it, as for any payment of an expired order.
    public func cancel(reference: String, orderID: UUID) async throws -> String {
        let object = try await post("/v1/payment_intents/\(FormEncoding.escape(reference))/cancel", [("cancellation_reason", "abandoned")],
                                    idempotencyKey: "emporium-order-\(orderID.lowercased)-cancel")
        if case .string(let status)? = object["status"] { return status }
        return "canceled"
    }

    private func post(_ path: String, _ fields: [(String, String)], idempotencyKey: String) async throws -> [String: JSONValue] {
        let request = PaymentHTTPRequest(
            method: "POST", url: baseURL + path,
            headers: [
                "Authorization": "Bearer \(secretKey)",
                "Content-Type": "application/x-www-form-urlencoded",
                "Idempotency-Key": idempotencyKey,
                "Stripe-Version": Self.apiVersion,
            ],
            body: Data(FormEncoding.encode(fields).utf8)
        )
        let response: PaymentHTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw DomainError.unavailable("Stripe could not be reached; try again in a moment")
        }
        let answer = try? JSONValue.parse(String(decoding: response.body, as: UTF8.self))
        guard case .object(let object)? = answer else {
            throw DomainError.unavailable("Stripe answered HTTP \(response.status) without JSON")
        }
        guard (200..<300).contains(response.status) else {
            var message = "HTTP \(response.status)"
            if case .object(let error)? = object["error"], case .string(let text)? = error["message"] { message = text }
            // A card decline or a bad key is the shop's or the customer's to fix, not a crash of ours.
            throw response.status == 402 || response.status == 400
                ? DomainError.conflict("Stripe refused: \(message)")
                : DomainError.unavailable("Stripe refused: \(message)")
        }
        return object
    }
}

/// `application/x-www-form-urlencoded` as Stripe reads it: keys and values percent-encoded,
/// everything but RFC 3986's unreserved characters escaped (so `[` `]` in keys too).
enum FormEncoding {
    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + Hex.string([byte]).uppercased()
            }
        }
        return out
    }
}
