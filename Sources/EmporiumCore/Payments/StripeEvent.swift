import Foundation

/// The part of a Stripe webhook event (https://docs.stripe.com/api/events/object) that moves an
/// order: read only after its signature was verified.
public struct StripeEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `payment_intent.succeeded`: the money is taken.
        case paymentSucceeded(intent: String, amountMinor: Int, currency: String, orderID: UUID?)
        /// `payment_intent.payment_failed`: the customer may try again while the order is held.
        case paymentFailed(intent: String, message: String?)
        /// `charge.refunded`: a refund made on Stripe's dashboard (or ours, confirmed).
        case refunded(intent: String, amountRefundedMinor: Int, amountMinor: Int)
        /// Any other type: acknowledged and recorded, nothing moves.
        case other
    }

    public var id: String
    public var type: String
    public var kind: Kind

    public init(id: String, type: String, kind: Kind) {
        self.id = id
        self.type = type
        self.kind = kind
    }

    /// Reads a verified payload; a payload without an event id or type is a bad request.
    public static func parse(_ payload: Data) throws -> StripeEvent {
        guard let root = try? JSONValue.parse(String(decoding: payload, as: UTF8.self)), case .object(let event) = root,
              case .string(let id)? = event["id"], (1...255).contains(id.utf8.count),
              case .string(let type)? = event["type"], (1...255).contains(type.utf8.count) else {
            throw DomainError.badRequest("The webhook payload is not a Stripe event")
        }
        var object: [String: JSONValue] = [:]
        if case .object(let data)? = event["data"], case .object(let inner)? = data["object"] { object = inner }
        let kind: Kind
        switch type {
        case "payment_intent.succeeded":
            guard let intent = object.string("id"), let amount = object.wholeNumber("amount_received") ?? object.wholeNumber("amount"),
                  let currency = object.string("currency") else {
                throw DomainError.badRequest("payment_intent.succeeded without id, amount or currency")
            }
            var orderID: UUID?
            if case .object(let metadata)? = object["metadata"], let text = metadata.string("order_id") { orderID = UUID(uuidString: text) }
            kind = .paymentSucceeded(intent: intent, amountMinor: amount, currency: currency.uppercased(), orderID: orderID)
        case "payment_intent.payment_failed":
            guard let intent = object.string("id") else { throw DomainError.badRequest("payment_intent.payment_failed without id") }
            var message: String?
            if case .object(let error)? = object["last_payment_error"] { message = error.string("message") }
            kind = .paymentFailed(intent: intent, message: message)
        case "charge.refunded":
            guard let intent = object.string("payment_intent"), let refunded = object.wholeNumber("amount_refunded"),
                  let amount = object.wholeNumber("amount") else {
                throw DomainError.badRequest("charge.refunded without payment_intent or amounts")
            }
            kind = .refunded(intent: intent, amountRefundedMinor: refunded, amountMinor: amount)
        default:
            kind = .other
        }
        return StripeEvent(id: id, type: type, kind: kind)
    }
}

extension [String: JSONValue] {
    fileprivate func string(_ key: String) -> String? {
        if case .string(let value)? = self[key], (1...255).contains(value.utf8.count) { return value }
        return nil
    }

    /// A whole number of minor units within what an order can hold (never trapping on 1e308).
    fileprivate func wholeNumber(_ key: String) -> Int? {
        guard case .number(let value)? = self[key], value >= 0, value <= 1e15 else { return nil }
        return Int(exactly: value)
    }
}
