import Foundation

/// A delivery or billing address. An order keeps its own copy (frozen at checkout), so editing or
/// deleting an address-book entry later never changes what an order was shipped or invoiced to.
public struct PostalAddress: Sendable, Equatable, Codable {
    public var name: String
    public var company: String?
    public var line1: String
    public var line2: String?
    public var city: String
    /// State, province or county; tax rates may be set per region (e.g. "CA" in "US").
    public var region: String?
    public var postalCode: String?
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String
    public var phone: String?

    public init(name: String, company: String? = nil, line1: String, line2: String? = nil, city: String, region: String? = nil,
                postalCode: String? = nil, country: String, phone: String? = nil) {
        self.name = name
        self.company = company
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.region = region
        self.postalCode = postalCode
        self.country = country
        self.phone = phone
    }

    /// Trimmed and checked, every failing field reported at once under `field.<name>`: name, line1
    /// and city required (1–200 characters), optional fields at most 200 (postal code 20, phone
    /// 40, region 100), country an assigned ISO 3166-1 alpha-2 code. Empty optional fields become nil.
    public func validated(field prefix: String) throws -> PostalAddress {
        var issues: [FieldIssue] = []
        func required(_ value: String, _ name: String, maximum: Int = 200) -> String {
            let trimmed = value.trimmed
            if !(1...maximum).contains(trimmed.count) || Self.hasControlCharacters(trimmed) {
                issues.append(FieldIssue(field: "\(prefix).\(name)", message: "is required: 1 to \(maximum) characters"))
            }
            return trimmed
        }
        func optional(_ value: String?, _ name: String, maximum: Int) -> String? {
            guard let trimmed = value?.trimmed, !trimmed.isEmpty else { return nil }
            if trimmed.count > maximum || Self.hasControlCharacters(trimmed) {
                issues.append(FieldIssue(field: "\(prefix).\(name)", message: "must be at most \(maximum) characters"))
            }
            return trimmed
        }
        var valid = PostalAddress(
            name: required(name, "name"), company: optional(company, "company", maximum: 200), line1: required(line1, "line1"),
            line2: optional(line2, "line2", maximum: 200), city: required(city, "city", maximum: 100),
            region: optional(region, "region", maximum: 100), postalCode: optional(postalCode, "postalCode", maximum: 20),
            country: country, phone: optional(phone, "phone", maximum: 40)
        )
        if let code = CountryCodes.normalized(country) {
            valid.country = code
        } else {
            issues.append(FieldIssue(field: "\(prefix).country", message: "must be an ISO 3166-1 alpha-2 country code, e.g. DE, US, GB"))
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        return valid
    }

    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}

/// An entry of a customer's address book (`/addresses`).
public struct SavedAddress: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var userID: UUID
    public var address: PostalAddress
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, userID: UUID, address: PostalAddress, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.userID = userID
        self.address = address
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension PostalAddress {
    /// Every field, each prefixed with its length so no two addresses read alike (an idempotency
    /// fingerprint; a JSONEncoder here was a measurable part of each order).
    var fingerprint: String {
        [name, company ?? "", line1, line2 ?? "", city, region ?? "", postalCode ?? "", country, phone ?? ""]
            .map { "\($0.utf8.count):\($0)" }.joined()
    }
}
