import EmporiumCore
import Foundation
import Crypto
import JWTKit

/// The claims of a shop user's access token: exactly `sub, email, tenantId, role, permissions, iat, exp`.
struct AccessTokenPayload: JWTPayload, Equatable {
    let sub: SubjectClaim
    let email: String
    let tenantId: String
    let role: String
    let permissions: [String]
    let iat: IssuedAtClaim
    let exp: ExpirationClaim

    /// Expiry is checked by `AccessTokens.verify` against the application's clock (injectable in
    /// tests), right after jwt-kit has checked the signature.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// What a verified access token says; the user is then looked up to get current rights.
struct VerifiedAccessToken: Sendable {
    let userID: UUID
    let tenantID: UUID
    let issuedAt: Date
}

/// Signs and verifies shop users' access tokens: HS256 under `JWT_SECRET` (with its `kid`, and
/// the previous secret still accepted during a rotation), `alg` pinned.
struct AccessTokens: Sendable {
    let keys: SigningKeys
    let lifetime: TimeInterval
    let now: @Sendable () -> Date

    init(secret: String, previous: PreviousSecret? = nil, lifetime: TimeInterval, now: @escaping @Sendable () -> Date) async {
        self.keys = await SigningKeys(current: SymmetricKey(data: Data(secret.utf8)), previous: previous.map { SymmetricKey(data: Data($0.value.utf8)) },
                                      previousUntil: previous?.until, now: now)
        self.lifetime = lifetime
        self.now = now
    }

    func issue(for user: User, in tenantID: UUID) async throws -> (token: String, expiresIn: Int) {
        let issued = now()
        let payload = AccessTokenPayload(
            sub: .init(value: user.id.lowercased), email: user.email, tenantId: tenantID.lowercased, role: user.role.rawValue,
            permissions: user.permissions.map(\.rawValue), iat: .init(value: issued), exp: .init(value: issued.addingTimeInterval(lifetime))
        )
        return (try await keys.sign(payload), Int(lifetime))
    }

    /// Signature (HS256 only), expiry and well-formed claims; tenant and user checks follow in the middleware.
    func verify(_ token: String) async throws -> VerifiedAccessToken {
        let invalid = DomainError.unauthorized("Invalid or expired token")
        let payload = try await keys.verify(token, as: AccessTokenPayload.self)
        guard payload.exp.value > now(), let userID = UUID(uuidString: payload.sub.value), let tenantID = UUID(uuidString: payload.tenantId) else {
            throw invalid
        }
        return VerifiedAccessToken(userID: userID, tenantID: tenantID, issuedAt: payload.iat.value)
    }
}
