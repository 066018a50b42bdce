import Crypto
import Foundation

/// The rules shared by shop users' and operators' second factor: making a secret and recovery
/// codes, and checking a presented code against a stored credential — ±1 step of clock skew, a code
/// accepted once (RFC 6238 §5.2), a recovery code used once, and `throttle` failures locking the
/// second factor for its lock duration. The lock has no known-address exception: only someone who
/// already passed the password can trip it.
public struct TwoFactorCodes: Sendable {
    public static let recoveryCodeCount = 10
    /// Lower-case letters and digits without 0, 1, i, l, o: read off paper without mistakes.
    static let recoveryAlphabet = Array("23456789abcdefghjkmnpqrstuvwxyz")

    let box: SecretBox
    let throttle: LoginThrottle
    let now: @Sendable () -> Date

    public init(box: SecretBox, throttle: LoginThrottle = LoginThrottle(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.box = box
        self.throttle = throttle
        self.now = now
    }

    /// The outcome of one presented code.
    public enum Outcome: Sendable, Equatable {
        /// Good: store `credential` (the step or the recovery code is now spent).
        case accepted(TwoFactorCredential, usedRecoveryCode: Bool)
        /// Wrong: store `credential` (the failure counted); `lockedUntil` when it locked now.
        case rejected(TwoFactorCredential, lockedUntil: Date?)
        /// Refused unchecked: the second factor is locked.
        case locked(until: Date)

        /// The credential with the code spent, when it was accepted.
        public var accepted: TwoFactorCredential? {
            if case .accepted(let spent, _) = self { return spent }
            return nil
        }

        /// After a wrong code: the credential with the failure counted, to store even though the
        /// sign-in or the change fails.
        public var counted: TwoFactorCredential? {
            if case .rejected(let counted, _) = self { return counted }
            return nil
        }

        /// What a refused code answers: the lock when it holds or just tripped, else `wrong`.
        public func refusal(wrong: DomainError) -> DomainError {
            switch self {
            case .locked(let until), .rejected(_, .some(let until)): return .accountLocked(until: until)
            case .accepted, .rejected(_, .none): return wrong
            }
        }
    }

    /// A fresh, unconfirmed credential and what the person types into their app. `account` and
    /// `issuer` label the entry in the app (email and shop name).
    public func newCredential(account: String, issuer: String) throws -> (TwoFactorCredential, TwoFactorSetup) {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let encoded = Base32.encode(secret)
        let timestamp = now()
        let credential = TwoFactorCredential(sealedSecret: try box.seal(encoded), createdAt: timestamp, updatedAt: timestamp)
        return (credential, TwoFactorSetup(secret: encoded, otpauthURI: Self.otpauthURI(secret: encoded, account: account, issuer: issuer)))
    }

    static func otpauthURI(secret: String, account: String, issuer: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~@")
        func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        // Key URI format: the label is `issuer:account`, the colon literal.
        return "otpauth://totp/\(encoded(issuer)):\(encoded(account))?secret=\(secret)&issuer=\(encoded(issuer))&algorithm=SHA1&digits=6&period=30"
    }

    /// Ten new recovery codes (`xxxxx-xxxxx`, 50 bits each) and what to store instead: each
    /// code's SHA-256 under a random salt of its own (`salt:hash`, hex), as ASVS 2.6.2 asks of
    /// look-up secrets shorter than 112 bits.
    public func newRecoveryCodes() -> (codes: [String], hashes: [String]) {
        var generator = SystemRandomNumberGenerator()
        let codes = (0..<Self.recoveryCodeCount).map { _ in
            let characters = (0..<10).map { _ in Self.recoveryAlphabet[Int.random(in: 0..<Self.recoveryAlphabet.count, using: &generator)] }
            return String(characters[0..<5]) + "-" + String(characters[5...])
        }
        let hashes = codes.map { code in
            let salt = (0..<8).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
            return salt + ":" + Self.recoveryHash(code, salt: salt)
        }
        return (codes, hashes)
    }

    static func recoveryHash(_ code: String, salt: String) -> String {
        let normalized = code.lowercased().filter { $0 != "-" && $0 != " " }
        return SHA256.hash(data: Data((salt + normalized).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func recoveryCode(_ code: String, matches stored: String) -> Bool {
        let parts = stored.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return false }
        return TOTP.constantTimeEqual(recoveryHash(code, salt: String(parts[0])), String(parts[1]))
    }

    /// Checks `presented`: six digits are a TOTP code, anything else a recovery code (when
    /// `allowRecovery`). Throws only when the secret cannot be opened (wrong `ENCRYPTION_KEY`).
    public func check(_ presented: String, against credential: TwoFactorCredential, allowRecovery: Bool = true) throws -> Outcome {
        let timestamp = now()
        if let lockedUntil = credential.lockedUntil, lockedUntil > timestamp {
            return .locked(until: lockedUntil)
        }
        var updated = credential
        updated.updatedAt = timestamp
        let code = presented.filter { $0 != " " }
        if code.utf8.count == 6, code.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            guard let secret = Base32.decode(try box.open(credential.sealedSecret)) else { throw SecretBoxError.malformed }
            if let step = TOTP(secret: secret).matchingStep(of: code, at: timestamp), step > (credential.lastUsedStep ?? -1) {
                updated.lastUsedStep = step
                updated.failures = 0
                updated.lockedUntil = nil
                return .accepted(updated, usedRecoveryCode: false)
            }
        } else if allowRecovery, code.utf8.count <= 64,
                  let index = credential.recoveryCodeHashes.firstIndex(where: { Self.recoveryCode(code, matches: $0) }) {
            updated.recoveryCodeHashes.remove(at: index)
            updated.failures = 0
            updated.lockedUntil = nil
            return .accepted(updated, usedRecoveryCode: true)
        }
        let next = throttle.afterFailure(attempts: credential.failures, now: timestamp)
        updated.failures = next.attempts
        updated.lockedUntil = next.lockedUntil
        return .rejected(updated, lockedUntil: next.lockedUntil)
    }

    /// After an `ENCRYPTION_KEY` rotation: the credential sealed again under the current key, or
    /// nil when the current key already sealed it (or neither key opens it).
    public func resealed(_ credential: TwoFactorCredential) -> TwoFactorCredential? {
        guard let opened = try? box.openReportingKey(credential.sealedSecret), !opened.current,
              let sealed = try? box.seal(opened.plaintext) else { return nil }
        var updated = credential
        updated.sealedSecret = sealed
        return updated
    }
}
