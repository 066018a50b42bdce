import Crypto
import EmporiumCore
import Foundation
import JWTKit

/// Who is calling a `/platform/...` route.
public struct OperatorPrincipal: Sendable, Equatable {
    public let id: UUID
    public let email: String
}

/// The claims of a platform operator's access token: the tenant token's claims without
/// `tenantId`, with role `platform_admin`.
struct PlatformTokenPayload: JWTPayload, Equatable {
    static let role = "platform_admin"

    let sub: SubjectClaim
    let email: String
    let role: String
    let permissions: [String]
    let iat: IssuedAtClaim
    let exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard role == Self.role else {
            throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "not a platform token")
        }
    }
}

/// Signs and verifies platform operator tokens: HS256 only, short-lived (15 minutes), with a key
/// derived from `JWT_SECRET` for this purpose alone, so a shop user's token can never pass as one.
public struct PlatformTokens: Sendable {
    public static let lifetime: TimeInterval = 15 * 60
    let keys: SigningKeys

    public init(jwtSecret: String, previous: PreviousSecret? = nil, now: @escaping @Sendable () -> Date = { Date() }) async {
        keys = await SigningKeys(current: Self.derive(jwtSecret), previous: previous.map { Self.derive($0.value) },
                                 previousUntil: previous?.until, now: now)
    }

    private static func derive(_ secret: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)),
            info: Data("emporium platform operator tokens".utf8), outputByteCount: 32
        )
    }

    func issue(for op: PlatformOperator, now: Date = Date()) async throws -> (token: String, expiresIn: Int) {
        let payload = PlatformTokenPayload(
            sub: .init(value: op.id.uuidString.lowercased()), email: op.email, role: PlatformTokenPayload.role,
            permissions: ["platform:tenants"], iat: .init(value: now), exp: .init(value: now.addingTimeInterval(Self.lifetime))
        )
        return (try await keys.sign(payload), Int(Self.lifetime))
    }

    /// Verifies signature (HS256 only: `alg: none` and every other algorithm are refused), expiry and role.
    func verify(_ token: String) async throws -> OperatorPrincipal {
        let payload = try await keys.verify(token, as: PlatformTokenPayload.self)
        guard let id = UUID(uuidString: payload.sub.value) else { throw DomainError.unauthorized("Invalid or expired token") }
        return OperatorPrincipal(id: id, email: payload.email)
    }
}
