import Foundation

/// A customer's address book.
public protocol AddressRepository {
    func addresses(userID: UUID) throws -> [SavedAddress]
    func address(id: UUID, userID: UUID) throws -> SavedAddress?
    func insert(_ address: SavedAddress) throws
    func update(_ address: SavedAddress) throws
    /// Returns false when the user has no such address.
    func delete(id: UUID, userID: UUID) throws -> Bool
    func count(userID: UUID) throws -> Int
}

/// Shipping zones with their methods. Implementations translate a country already in another
/// zone into `DomainError.conflict`.
public protocol ShippingRepository {
    func zones() throws -> [ShippingZone]
    func zone(id: UUID) throws -> ShippingZone?
    /// Inserts or replaces the zone, its methods and its countries.
    func save(_ zone: ShippingZone) throws
    func delete(id: UUID) throws -> Bool
}

/// Tax rates. Implementations translate a second rate for the same country and region into
/// `DomainError.conflict`.
public protocol TaxRateRepository {
    func rates() throws -> [TaxRate]
    func rate(id: UUID) throws -> TaxRate?
    func save(_ rate: TaxRate) throws
    func delete(id: UUID) throws -> Bool
}

/// Coupon codes and automatic promotions, with their usage counts.
public protocol DiscountRepository {
    func discounts(page: Page) throws -> [Discount]
    func count() throws -> Int
    func discount(id: UUID) throws -> Discount?
    /// By its normalised code.
    func discount(code: String) throws -> Discount?
    /// Automatic promotions (no code) that are active, oldest first.
    func automatic() throws -> [Discount]
    /// Inserts or replaces; a code taken by another discount is `DomainError.conflict`.
    func save(_ discount: Discount) throws
    func delete(id: UUID) throws -> Bool
    /// Counts one use by `orderID` if the discount has uses left (one conditional UPDATE: under
    /// concurrency exactly `usageLimit` orders get one). Returns false, changing nothing, otherwise.
    func redeem(discountID: UUID, orderID: UUID, customerID: UUID?, at: Date) throws -> Bool
    /// Orders of this customer that hold a use of the discount.
    func uses(discountID: UUID, customerID: UUID) throws -> Int
    /// Gives back the uses an order held (its unpaid order was cancelled or expired).
    func release(orderID: UUID) throws
}
