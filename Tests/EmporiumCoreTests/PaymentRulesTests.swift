@testable import EmporiumCore
import Foundation
import Testing

@Suite("Payments: Stripe signatures, events, form encoding, settings")
struct PaymentRulesTests {
    let secret = "whsec_test_secret"
    let payload = Data(#"{"id":"evt_1","type":"payment_intent.succeeded"}"#.utf8)
    let now = Date(timeIntervalSince1970: 1_767_000_000)

    /// Stripe's documented scheme: HMAC-SHA256 of "t.payload", hex, in `v1`; the value here was
    /// computed independently with `printf '%s' "1767000000.$payload" | openssl dgst -sha256 -hmac whsec_test_secret`.
    @Test func aSignatureStripeWouldSendVerifiesAndMatchesAnIndependentHMAC() throws {
        let header = StripeSignature.header(payload: payload, secret: secret, time: now)
        #expect(header == "t=1767000000,v1=\(Self.opensslHMAC)")
        try StripeSignature.verify(payload: payload, header: header, secret: secret, now: now)
        // While Stripe rolls the secret it sends several v1 values: one match is enough.
        try StripeSignature.verify(payload: payload, header: "t=1767000000,v1=\(String(repeating: "0", count: 64)),v1=\(Self.opensslHMAC),v0=ignored",
                                   secret: secret, now: now)
    }

    static let opensslHMAC = "c373d24773cdc1af48c1786a52dd6e60655fabd57ea068e19ee641e1752c2352"

    @Test(arguments: [
        ("tampered payload", "t=1767000000,v1=SIG", #"{"id":"evt_2"}"#, 0.0, StripeSignature.Failure.noMatchingSignature),
        ("other secret", "t=1767000000,v1=OTHER", nil, 0, .noMatchingSignature),
        ("301 s late", "t=1767000000,v1=SIG", nil, 301, .outsideTolerance),
        ("301 s early", "t=1767000000,v1=SIG", nil, -301, .outsideTolerance),
        ("no v1", "t=1767000000,v0=SIG", nil, 0, .malformedHeader),
        ("no t", "v1=SIG", nil, 0, .malformedHeader),
        ("t not a number", "t=99999999999999999999999,v1=SIG", nil, 0, .malformedHeader),
        ("odd hex", "t=1767000000,v1=abc", nil, 0, .malformedHeader),
        ("empty", "", nil, 0, .malformedHeader),
    ] as [(String, String, String?, Double, StripeSignature.Failure)])
    func badSignaturesAreRefusedWithTheReason(name: String, template: String, body: String?, skew: Double, failure: StripeSignature.Failure) throws {
        let good = String(StripeSignature.header(payload: payload, secret: secret, time: now).split(separator: "=").last!)
        let other = String(StripeSignature.header(payload: payload, secret: "whsec_other", time: now).split(separator: "=").last!)
        let header = template.replacingOccurrences(of: "v1=SIG", with: "v1=\(good)").replacingOccurrences(of: "v0=SIG", with: "v0=\(good)")
            .replacingOccurrences(of: "OTHER", with: other)
        #expect(throws: failure, "\(name)") {
            try StripeSignature.verify(payload: body.map { Data($0.utf8) } ?? payload, header: header, secret: secret, now: now.addingTimeInterval(skew))
        }
    }

    @Test func theToleranceWindowIsFiveMinutesEitherWayInclusive() throws {
        let header = StripeSignature.header(payload: payload, secret: secret, time: now)
        try StripeSignature.verify(payload: payload, header: header, secret: secret, now: now.addingTimeInterval(300))
        try StripeSignature.verify(payload: payload, header: header, secret: secret, now: now.addingTimeInterval(-300))
    }

    @Test func formEncodingEscapesEverythingButUnreservedCharacters() {
        #expect(FormEncoding.encode([("metadata[order_id]", "a b&c=d"), ("description", "Order 1001 – ü")])
                == "metadata%5Border_id%5D=a%20b%26c%3Dd&description=Order%201001%20%E2%80%93%20%C3%BC")
    }

    @Test func eventsAreReadForWhatMovesAnOrderAndAnythingElseIsOther() throws {
        let succeeded = try StripeEvent.parse(Data(#"""
            {"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":500,"amount_received":500,"currency":"eur",
             "metadata":{"order_id":"00000000-0000-0000-0000-000000000001"}}}}
            """#.utf8))
        #expect(succeeded.kind == .paymentSucceeded(intent: "pi_1", amountMinor: 500, currency: "EUR",
                                                   orderID: UUID(uuidString: "00000000-0000-0000-0000-000000000001")))
        let refunded = try StripeEvent.parse(Data(#"{"id":"evt_2","type":"charge.refunded","data":{"object":{"payment_intent":"pi_1","amount":500,"amount_refunded":200}}}"#.utf8))
        #expect(refunded.kind == .refunded(intent: "pi_1", amountRefundedMinor: 200, amountMinor: 500))
        #expect(try StripeEvent.parse(Data(#"{"id":"evt_3","type":"customer.created","data":{"object":{}}}"#.utf8)).kind == .other)
        for bad in ["[]", "{}", #"{"id":"evt"}"#, "not json",
                    #"{"id":"evt_4","type":"payment_intent.succeeded","data":{"object":{"id":"pi","amount":1e308,"currency":"eur"}}}"#,
                    #"{"id":"evt_5","type":"payment_intent.succeeded","data":{"object":{"id":"pi","amount":-5,"currency":"eur"}}}"#,
                    #"{"id":"evt_6","type":"payment_intent.succeeded","data":{"object":{"id":"pi","amount":2.5,"currency":"eur"}}}"#] {
            #expect(throws: DomainError.self, "\(bad)") { try StripeEvent.parse(Data(bad.utf8)) }
        }
    }

    @Test func stripeSecretsMustBeEncryptedAndLookLikeStripeKeys() throws {
        try PaymentSettings.validate(key: "payments.stripe.secretKey", value: .string("sk_live_abcdefgh"), encrypted: true)
        try PaymentSettings.validate(key: "payments.stripe.secretKey", value: .string("rk_test_abcdefgh"), encrypted: true)
        try PaymentSettings.validate(key: "payments.stripe.webhookSecret", value: .string("whsec_abcdefgh"), encrypted: true)
        try PaymentSettings.validate(key: "payments.stripe.publishableKey", value: .string("pk_test_abcdefgh"), encrypted: false)
        try PaymentSettings.validate(key: "payments.provider", value: .string("manual"), encrypted: false)
        try PaymentSettings.validate(key: "unrelated.key", value: .null, encrypted: false)
        let refused: [(String, JSONValue, Bool)] = [
            ("payments.stripe.secretKey", .string("sk_live_abcdefgh"), false),
            ("payments.stripe.secretKey", .string("pk_live_abcdefgh"), true),
            ("payments.stripe.secretKey", .string("sk_live_has space"), true),
            ("payments.stripe.webhookSecret", .string("whsec_abcdefgh"), false),
            ("payments.stripe.publishableKey", .string("pk_test_abcdefgh"), true),
            ("payments.provider", .string("paypal"), false),
            ("payments.provider", .number(1), false),
            ("payments.manual.instructions", .string(""), false),
            ("payments.manual.instructions", .string(String(repeating: "x", count: 2001)), false),
        ]
        for (key, value, encrypted) in refused {
            #expect(throws: DomainError.self, "\(key) \(value) encrypted=\(encrypted)") {
                try PaymentSettings.validate(key: key, value: value, encrypted: encrypted)
            }
        }
    }

    @Test func hexBytesReadBothCasesAndRefuseNonHex() {
        #expect(Hex.bytes("00ffA0") == Data([0x00, 0xff, 0xa0]))
        #expect(Hex.bytes("0g") == nil)
        #expect(Hex.bytes("abc") == nil)
        #expect(Hex.bytes("") == Data())
    }
}
