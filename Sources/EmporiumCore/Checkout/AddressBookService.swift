import Foundation

/// The signed-in customer's address book (`/addresses`): only ever their own entries; another
/// customer's address id is 404.
public struct AddressBookService: Sendable {
    public static let maximumAddresses = 50

    let storage: any TenantStorage
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.now = now
    }

    public func list(in tenantID: UUID, userID: UUID) async throws -> [SavedAddress] {
        try await storage.read(tenantID) { tx in try tx.addresses.addresses(userID: userID) }
    }

    public func add(in tenantID: UUID, userID: UUID, _ address: PostalAddress) async throws -> SavedAddress {
        let valid = try address.validated(field: "address")
        let timestamp = now()
        return try await storage.write(tenantID) { tx in
            guard try tx.addresses.count(userID: userID) < Self.maximumAddresses else {
                throw DomainError.conflict("An address book holds at most \(Self.maximumAddresses) addresses: delete one first")
            }
            let saved = SavedAddress(id: UUID(), userID: userID, address: valid, createdAt: timestamp, updatedAt: timestamp)
            try tx.addresses.insert(saved)
            return saved
        }
    }

    public func replace(in tenantID: UUID, userID: UUID, id: String, _ address: PostalAddress) async throws -> SavedAddress {
        let valid = try address.validated(field: "address")
        let timestamp = now()
        return try await storage.write(tenantID) { tx in
            guard let addressID = UUID(uuidString: id), var saved = try tx.addresses.address(id: addressID, userID: userID) else {
                throw DomainError.notFound("No address '\(id)' in your address book")
            }
            saved.address = valid
            saved.updatedAt = timestamp
            try tx.addresses.update(saved)
            return saved
        }
    }

    public func delete(in tenantID: UUID, userID: UUID, id: String) async throws {
        try await storage.write(tenantID) { tx in
            guard let addressID = UUID(uuidString: id), try tx.addresses.delete(id: addressID, userID: userID) else {
                throw DomainError.notFound("No address '\(id)' in your address book")
            }
        }
    }
}
