import Foundation
/// The answer of every sign-in and refresh (DESIGN.md "Wire details").
struct TokenResponse: Encodable, Sendable {
    struct User: Encodable, Sendable {
        let id: String
        let email: String
        let firstName: String
        let lastName: String
        let role: String
        let permissions: [String]
    }

    let accessToken: String
    /// Operators get none: their tokens are short-lived and they sign in again.
    @NullWhenAbsent var refreshToken: String?
    let tokenType = "Bearer"
    let expiresIn: Int
    let user: User
    /// The shop requires a second factor of staff and this account has none: the token only
    /// reaches `/auth/me`, `/auth/2fa/*` and sign-out until it enrols.
    var twoFactorEnrolmentRequired = false
}

struct LoginRequest: Decodable, Sendable {
    let email: String
    let password: String
    /// The authenticator app's current code or a recovery code, for accounts with a second factor.
    let code: String?
}
