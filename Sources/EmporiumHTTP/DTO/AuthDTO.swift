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
    let refreshToken: String?
    let tokenType = "Bearer"
    let expiresIn: Int
    let user: User

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accessToken, forKey: .accessToken)
        try container.encode(refreshToken, forKey: .refreshToken)
        try container.encode(tokenType, forKey: .tokenType)
        try container.encode(expiresIn, forKey: .expiresIn)
        try container.encode(user, forKey: .user)
    }

    enum CodingKeys: String, CodingKey {
        case accessToken, refreshToken, tokenType, expiresIn, user
    }
}

struct LoginRequest: Decodable, Sendable {
    let email: String
    let password: String
}
