import Foundation

/// A stored refresh token: only its hash is kept. Tokens of one sign-in form a family; every use
/// rotates to a new member, and presenting a used member again revokes the whole family.
public struct RefreshTokenRecord: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var familyID: UUID
    public var tokenHash: String
    public var expiresAt: Date
    public var createdAt: Date
    public var usedAt: Date?
    public var revokedAt: Date?

    public init(id: UUID, userID: UUID, familyID: UUID, tokenHash: String, expiresAt: Date, createdAt: Date,
                usedAt: Date? = nil, revokedAt: Date? = nil) {
        self.id = id
        self.userID = userID
        self.familyID = familyID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.usedAt = usedAt
        self.revokedAt = revokedAt
    }
}
