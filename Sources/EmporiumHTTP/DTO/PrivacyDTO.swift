import EmporiumCore
import Foundation

/// One person's data as `GET /users/{id}/export`, `GET /auth/me/export` and
/// `emporium customer export` give it: the shapes the rest of the API uses for each part.
struct CustomerDataDTO: Encodable, Sendable {
    struct Shop: Encodable, Sendable {
        let id: String
        let name: String
        let subdomain: String
    }

    struct CartItem: Encodable, Sendable {
        let productId: String
        let variantId: String
        let quantity: Int
    }

    struct SignIn: Encodable, Sendable {
        let address: String
        let lastSeen: Date
    }

    let exportedAt: Date
    let shop: Shop
    let profile: UserDTO
    let addresses: [SavedAddressDTO]
    let cart: [CartItem]
    let signInAddresses: [SignIn]
    let orders: [OrderDTO]
    let auditEntries: [AuditEntryDTO]

    init(_ data: CustomerData, shop tenant: Tenant) {
        exportedAt = data.exportedAt
        shop = Shop(id: tenant.id.lowercased, name: tenant.name, subdomain: tenant.subdomain)
        profile = UserDTO(data.user)
        addresses = data.addresses.map(SavedAddressDTO.init)
        cart = data.cart.map { CartItem(productId: $0.productID.lowercased, variantId: $0.variantID.lowercased, quantity: $0.quantity) }
        signInAddresses = data.signInAddresses.map { SignIn(address: $0.address, lastSeen: $0.lastSeen) }
        orders = data.orders.map(OrderDTO.init)
        auditEntries = data.auditEntries.map(AuditEntryDTO.init)
    }
}

/// The answer of `POST /users/{id}/erase`: what was done, never what was erased.
struct ErasureDTO: Encodable, Sendable {
    let userId: String
    let ordersAnonymised: Int
    let addressesDeleted: Int
    let auditEntriesScrubbed: Int
    let erasedAt: Date

    init(_ report: ErasureReport) {
        userId = report.userID.lowercased
        ordersAnonymised = report.ordersAnonymised
        addressesDeleted = report.addressesDeleted
        auditEntriesScrubbed = report.auditEntriesScrubbed
        erasedAt = report.erasedAt
    }
}

/// The export as a file: what `emporium customer export` writes, in the API's shape.
public enum CustomerDataDocument {
    public static func json(_ data: CustomerData, shop: Tenant) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(CustomerDataDTO(data, shop: shop))
    }
}
