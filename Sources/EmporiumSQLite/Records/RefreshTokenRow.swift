import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `refresh_tokens` (the core's `RefreshTokenRecord` is the domain value).
struct RefreshTokenRow: StoredRecord {
    static let databaseTableName = "refresh_tokens"

    var id: UUID
    var userID: UUID
    var familyID: UUID
    var tokenHash: String
    var expiresAt: Date
    var createdAt: Date
    var usedAt: Date?
    var revokedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id
        case userID = "user_id", familyID = "family_id", tokenHash = "token_hash", expiresAt = "expires_at", createdAt = "created_at"
        case usedAt = "used_at", revokedAt = "revoked_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let userID = Column(CodingKeys.userID)
        static let familyID = Column(CodingKeys.familyID)
        static let tokenHash = Column(CodingKeys.tokenHash)
        static let usedAt = Column(CodingKeys.usedAt)
        static let revokedAt = Column(CodingKeys.revokedAt)
    }

    init(_ token: RefreshTokenRecord) {
        (id, userID, familyID, tokenHash, expiresAt) = (token.id, token.userID, token.familyID, token.tokenHash, token.expiresAt)
        (createdAt, usedAt, revokedAt) = (token.createdAt, token.usedAt, token.revokedAt)
    }

    var token: RefreshTokenRecord {
        RefreshTokenRecord(id: id, userID: userID, familyID: familyID, tokenHash: tokenHash, expiresAt: expiresAt, createdAt: createdAt,
                           usedAt: usedAt, revokedAt: revokedAt)
    }
}
