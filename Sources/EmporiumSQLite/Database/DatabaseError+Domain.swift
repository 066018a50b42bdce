import EmporiumCore
import GRDB

extension DatabaseError {
    /// Translates SQLite failures the caller can act on into domain errors; anything else stays
    /// an internal error (and is never shown to clients).
    func domainError(conflict message: String) -> any Error {
        switch extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return DomainError.conflict(message)
        case .SQLITE_FULL:
            return DomainError.unavailable("Storage is full")
        default:
            return self
        }
    }
}
