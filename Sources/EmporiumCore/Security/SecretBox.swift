import Crypto
import Foundation

/// Seals setting values with AES-256-GCM under a key derived from `ENCRYPTION_KEY`, so a copy of
/// a shop's file (or `sqlite3` on it) shows only ciphertext.
public struct SecretBox: Sendable {
    static let prefix = "v1:"
    private let key: SymmetricKey

    public init(encryptionKey: String) {
        self.key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(encryptionKey.utf8)),
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
        guard sealed.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(sealed.dropFirst(Self.prefix.count))) else {
            throw SecretBoxError.malformed
        }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
        } catch {
            throw SecretBoxError.wrongKey
        }
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
