import Foundation

/// Shop users' second factor (`user_two_factor`), one credential per user.
public protocol TwoFactorRepository {
    func credential(userID: UUID) throws -> TwoFactorCredential?
    /// Inserts or replaces the user's credential.
    func save(_ credential: TwoFactorCredential, userID: UUID) throws
    /// False when the user had none.
    func delete(userID: UUID) throws -> Bool
    /// Every credential of the shop (re-sealing after a key rotation).
    func all() throws -> [(userID: UUID, credential: TwoFactorCredential)]
}
