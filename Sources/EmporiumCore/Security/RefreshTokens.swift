import Crypto
import Foundation

/// Opaque refresh tokens: 32 random bytes, base64url. The database keeps only an HMAC-SHA256 of
/// each under `JWT_REFRESH_SECRET`, so a stolen database file yields no usable token.
public struct RefreshTokens: Sendable {
    private let key: SymmetricKey

    public init(secret: String) {
        self.key = SymmetricKey(data: Data(secret.utf8))
    }

    public func generate() -> String {
        Self.randomToken()
    }

    /// 32 random bytes, base64url: refresh tokens and the single-use links sent by mail.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// 64 lower-case hex characters.
    public func hash(_ token: String) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Data(token.utf8), using: key))
    }
}
