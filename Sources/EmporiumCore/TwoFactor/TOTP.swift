import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP) with the parameters every
/// authenticator app assumes: HMAC-SHA1, 30-second steps, 6 digits. Pure functions: storage,
/// replay and rate limits belong to `TwoFactorCodes`.
public struct TOTP: Sendable {
    public let secret: [UInt8]
    public let digits: Int
    public let period: Int64

    public init(secret: [UInt8], digits: Int = 6, period: Int64 = 30) {
        self.secret = secret
        self.digits = min(max(digits, 6), 8)
        self.period = max(period, 1)
    }

    /// The time step a moment falls in (T in RFC 6238), or nil before 1970 or past Int64.
    public func step(at date: Date) -> Int64? {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds >= 0, seconds < 9.0e18 else { return nil }
        return Int64(seconds) / period
    }

    /// The code for one step, zero-padded to `digits`.
    public func code(forStep step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        // Dynamic truncation (RFC 4226 §5.3).
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    public func code(at date: Date) -> String? {
        step(at: date).map { code(forStep: $0) }
    }

    /// The step whose code `presented` is, looking `window` steps either side of now (clock skew
    /// between the phone and the server), or nil. Compares in constant time per step.
    public func matchingStep(of presented: String, at date: Date, window: Int64 = 1) -> Int64? {
        guard presented.utf8.count == digits, presented.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let current = step(at: date) else { return nil }
        var matched: Int64?
        for candidate in (current - window)...(current + window) where candidate >= 0 {
            if Self.constantTimeEqual(code(forStep: candidate), presented), matched == nil { matched = candidate }
        }
        return matched
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
