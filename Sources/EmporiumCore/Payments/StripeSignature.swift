import Crypto
import Foundation

/// Verifies the `Stripe-Signature` header of a webhook (https://docs.stripe.com/webhooks#verify-manually):
/// `t=<unix time>,v1=<hex HMAC-SHA256 of "t.<raw body>" under the endpoint's secret>`, possibly with
/// several `v1` (while Stripe rolls the secret). The timestamp must lie within `tolerance` of now,
/// so a captured request cannot be replayed later; the comparison is constant-time.
public enum StripeSignature {
    public static let defaultTolerance: TimeInterval = 300

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformedHeader
        case noMatchingSignature
        case outsideTolerance

        public var description: String {
            switch self {
            case .malformedHeader: "the Stripe-Signature header is missing or malformed"
            case .noMatchingSignature: "no signature in Stripe-Signature matches the payload"
            case .outsideTolerance: "the Stripe-Signature timestamp is outside the tolerance window"
            }
        }
    }

    public static func verify(payload: Data, header: String?, secret: String, now: Date,
                              tolerance: TimeInterval = defaultTolerance) throws(Failure) {
        guard let header, header.utf8.count <= 4096 else { throw .malformedHeader }
        var timestamp: Int?
        var signatures: [Data] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            switch pair[0] {
            case "t": timestamp = Int(pair[1])
            case "v1": if let bytes = Hex.bytes(pair[1]) { signatures.append(bytes) }
            default: continue
            }
        }
        guard let timestamp, !signatures.isEmpty else { throw .malformedHeader }
        let key = SymmetricKey(data: Data(secret.utf8))
        var signed = Data("\(timestamp).".utf8)
        signed.append(payload)
        guard signatures.contains(where: { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: signed, using: key) }) else {
            throw .noMatchingSignature
        }
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { throw .outsideTolerance }
    }

    /// The header Stripe would send for `payload` at `time` (tests and the stand-in server).
    public static func header(payload: Data, secret: String, time: Date) -> String {
        let timestamp = Int(time.timeIntervalSince1970)
        var signed = Data("\(timestamp).".utf8)
        signed.append(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=\(Hex.string(mac))"
    }
}
