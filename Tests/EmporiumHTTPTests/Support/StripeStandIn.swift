import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization

/// A local stand-in for Stripe's API, started by the test on a loopback port: the three calls
/// Emporium makes, with the request and response shapes of Stripe's API reference
/// (https://docs.stripe.com/api/payment_intents/create, /api/payment_intents/cancel, /api/refunds/create, /api/errors), its
/// bearer-key check, and its idempotency (the same `Idempotency-Key` answers the first response).
/// It records every request so tests can check what Emporium sent.
final class StripeStandIn: Sendable {
    static let secretKey = "sk_test_51EmporiumStandInKey"
    static let publishableKey = "pk_test_51EmporiumStandInKey"
    static let webhookSecret = "whsec_emporium_stand_in_secret"

    struct Recorded: Sendable {
        let path: String
        let headers: HTTPFields
        let form: [String: String]
    }

    /// What the next call answers instead of succeeding (a card decline, an outage).
    enum Failure: Sendable { case outage, cardDeclined, alreadySucceeded }

    private struct State {
        var requests: [Recorded] = []
        var answered: [String: String] = [:]
        var intents = 0
        var refunds = 0
        var failNext: Failure?
    }

    private let state = Mutex(State())

    var requests: [Recorded] { state.withLock { $0.requests } }
    func failNext(_ failure: Failure) { state.withLock { $0.failNext = failure } }

    /// Starts the stand-in, runs `body` with its base URL, and stops it.
    func run(_ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("v1/payment_intents") { request, context in try await self.answer(request, context: context, kind: "intent") }
        router.post("v1/refunds") { request, context in try await self.answer(request, context: context, kind: "refund") }
        router.post("v1/payment_intents/{id}/cancel") { request, context in try await self.answer(request, context: context, kind: "cancel") }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            guard let port = client.port else { throw TestFailure("the stand-in has no port") }
            try await body("http://127.0.0.1:\(port)")
        }
    }

    private func answer(_ request: Request, context: some RequestContext, kind: String) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 65_536)
        let form = Self.parseForm(String(buffer: buffer))
        let recorded = Recorded(path: request.uri.path, headers: request.headers, form: form)
        let key = request.headers[HTTPField.Name("Idempotency-Key")!]
        let outcome: (HTTPResponse.Status, String) = state.withLock { state in
            state.requests.append(recorded)
            guard request.headers[.authorization] == "Bearer \(Self.secretKey)" else {
                return (.unauthorized, #"{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_****"}}"#)
            }
            if let failure = state.failNext {
                state.failNext = nil
                switch failure {
                case .outage: return (.internalServerError, #"{"error":{"type":"api_error","message":"An unknown error occurred"}}"#)
                case .cardDeclined:
                    return (.init(code: 402, reasonPhrase: "Payment Required"), #"{"error":{"type":"card_error","code":"card_declined","message":"Your card was declined."}}"#)
                case .alreadySucceeded:
                    return (.badRequest, #"{"error":{"type":"invalid_request_error","code":"payment_intent_unexpected_state","message":"You cannot cancel this PaymentIntent because it has a status of succeeded."}}"#)
                }
            }
            if let key, let earlier = state.answered[key] { return (.ok, earlier) }
            let body: String
            if kind == "cancel" {
                let id = request.uri.path.split(separator: "/").dropLast().last.map(String.init) ?? ""
                body = #"{"id":"\#(id)","object":"payment_intent","status":"canceled","cancellation_reason":"\#(form["cancellation_reason"] ?? "")"}"#
            } else if kind == "intent" {
                state.intents += 1
                let id = "pi_standin\(state.intents)"
                body = """
                    {"id":"\(id)","object":"payment_intent","amount":\(form["amount"] ?? "0"),"amount_received":0,\
                    "currency":"\(form["currency"] ?? "")","client_secret":"\(id)_secret_standin","status":"requires_payment_method",\
                    "automatic_payment_methods":{"enabled":\(form["automatic_payment_methods[enabled]"] ?? "false")},\
                    "metadata":{"order_id":"\(form["metadata[order_id]"] ?? "")"},"livemode":false}
                    """
            } else {
                state.refunds += 1
                body = """
                    {"id":"re_standin\(state.refunds)","object":"refund","amount":\(form["amount"] ?? "0"),\
                    "payment_intent":"\(form["payment_intent"] ?? "")","status":"succeeded","currency":"usd"}
                    """
            }
            if let key { state.answered[key] = body }
            return (.ok, body)
        }
        return Response(status: outcome.0, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: outcome.1)))
    }

    static func parseForm(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    /// A webhook event as Stripe sends it (https://docs.stripe.com/api/events/object), signed with
    /// the shop's webhook secret at `time`.
    static func event(id: String, type: String, object: String, time: Date, secret: String = webhookSecret) -> (body: ByteBuffer, signature: String) {
        let payload = """
            {"id":"\(id)","object":"event","api_version":"2024-06-20","created":\(Int(time.timeIntervalSince1970)),\
            "type":"\(type)","livemode":false,"pending_webhooks":1,"data":{"object":\(object)}}
            """
        return (ByteBuffer(string: payload), StripeSignature.header(payload: Data(payload.utf8), secret: secret, time: time))
    }

    static func succeeded(intent: String, amountMinor: Int, currency: String = "usd", orderID: String) -> String {
        """
        {"id":"\(intent)","object":"payment_intent","amount":\(amountMinor),"amount_received":\(amountMinor),"currency":"\(currency)",\
        "status":"succeeded","metadata":{"order_id":"\(orderID)"}}
        """
    }

    static func refundedCharge(intent: String, amountMinor: Int) -> String {
        """
        {"id":"ch_standin","object":"charge","amount":\(amountMinor),"amount_refunded":\(amountMinor),"payment_intent":"\(intent)","refunded":true}
        """
    }
}
