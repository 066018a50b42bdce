import EmporiumCore
import Foundation
import GRDB

struct SQLiteTwoFactorRepository: TwoFactorRepository {
    let db: Database

    func credential(userID: UUID) throws -> TwoFactorCredential? { try UserTwoFactorRecord.credential(db, account: userID) }
    func save(_ credential: TwoFactorCredential, userID: UUID) throws { try UserTwoFactorRecord.save(db, credential, account: userID) }
    func delete(userID: UUID) throws -> Bool { try UserTwoFactorRecord.delete(db, account: userID) }
    func all() throws -> [(userID: UUID, credential: TwoFactorCredential)] {
        try UserTwoFactorRecord.all(db).map { ($0.account, $0.credential) }
    }
}
