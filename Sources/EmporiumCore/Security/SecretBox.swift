import Crypto
import Foundation

/// Seals setting values with AES-256-GCM under a key derived from `ENCRYPTION_KEY`, so a copy of
/// a shop's file (or `sqlite3` on it) shows only ciphertext. During a key rotation the previous key
/// still opens what it sealed until `ENCRYPTION_KEY_PREVIOUS_UNTIL`; seals always use the current key.
public struct SecretBox: Sendable {
    static let prefix = "v1:"
    private let key: SymmetricKey
    private let previousKey: SymmetricKey?
    private let previousUntil: Date
    private let now: @Sendable () -> Date

    public init(encryptionKey: String, previous: PreviousSecret? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.key = Self.derive(encryptionKey)
        self.previousKey = previous.map { Self.derive($0.value) }
        self.previousUntil = previous?.until ?? .distantPast
        self.now = now
    }

    private static func derive(_ secret: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)),
            info: Data("emporium settings encryption v1".utf8), outputByteCount: 32
        )
    }

    /// `v1:` + base64(nonce ‖ ciphertext ‖ tag).
    public func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: key)
        guard let combined = box.combined else { throw DomainError.unavailable("Encryption failed") }
        return Self.prefix + combined.base64EncodedString()
    }

    /// Opens a value sealed by `seal`. Throws `SecretBoxError.wrongKey` when the key differs or the
    /// value was tampered with: never returns garbage.
    public func open(_ sealed: String) throws -> String {
        try openReportingKey(sealed).plaintext
    }

    /// Opens like `open`, and says whether the current key did it (false: the previous one, so the
    /// value should be sealed again before that key's time runs out).
    public func openReportingKey(_ sealed: String) throws -> (plaintext: String, current: Bool) {
        guard sealed.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(sealed.dropFirst(Self.prefix.count))),
              let box = try? AES.GCM.SealedBox(combined: data) else {
            throw SecretBoxError.malformed
        }
        if let opened = try? AES.GCM.open(box, using: key) {
            return (String(decoding: opened, as: UTF8.self), true)
        }
        if let previousKey, now() < previousUntil, let opened = try? AES.GCM.open(box, using: previousKey) {
            return (String(decoding: opened, as: UTF8.self), false)
        }
        throw SecretBoxError.wrongKey
    }

    /// The canary kept in the system database: sealed once, opened at every start.
    public static let canaryPlaintext = "emporium-encryption-key-check"
}

public enum SecretBoxError: Error, Equatable, CustomStringConvertible {
    case malformed
    case wrongKey

    public var description: String {
        switch self {
        case .malformed: return "the sealed value is malformed"
        case .wrongKey: return "the value cannot be opened with this ENCRYPTION_KEY"
        }
    }
}
