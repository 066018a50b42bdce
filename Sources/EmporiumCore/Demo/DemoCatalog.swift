import Foundation

/// A believable demo catalog, generated deterministically so every `serve --demo` shows the same shop:
/// a handful of categories and a few hundred products with varied prices, stock and statuses.
public enum DemoCatalog {
    public struct Category: Sendable {
        public let name: String
        public let slug: String
    }

    public struct Product: Sendable {
        public let sku: String
        public let name: String
        public let slug: String
        public let description: String
        public let priceMinor: Int
        public let status: String
        public let categorySlug: String
        public let stock: Int
        public let attributes: [String: String]
    }

    static let ranges: [(category: String, nouns: [String], basePrice: Int)] = [
        ("Electronics", ["Headphones", "Speaker", "Charger", "Keyboard", "Mouse", "Webcam", "Power Bank", "Smartwatch"], 2_999),
        ("Clothing", ["T-Shirt", "Hoodie", "Jacket", "Scarf", "Beanie", "Socks", "Jeans", "Sweater"], 1_499),
        ("Books", ["Cookbook", "Novel", "Field Guide", "Atlas", "Poetry Collection", "Biography", "Sketchbook", "Journal"], 999),
        ("Home & Kitchen", ["Mug", "Teapot", "Cutting Board", "Candle", "Blanket", "Vase", "Knife Set", "Lamp"], 1_999),
        ("Sports", ["Yoga Mat", "Water Bottle", "Jump Rope", "Backpack", "Tennis Balls", "Cycling Gloves", "Dumbbell", "Headband"], 1_299),
        ("Garden", ["Watering Can", "Seed Kit", "Planter", "Pruning Shears", "Bird Feeder", "Gloves", "Hose", "Trowel"], 899),
    ]
    static let adjectives = ["Classic", "Organic", "Compact", "Deluxe", "Everyday", "Vintage", "Premium", "Travel", "Eco", "Pro"]
    static let colours = ["Black", "White", "Forest Green", "Navy", "Sand", "Terracotta", "Slate", "Ochre"]

    public static var categories: [Category] {
        ranges.map { Category(name: $0.category, slug: slug($0.category)) }
    }

    /// `count` products spread over the categories; about one in twelve is a draft or inactive.
    public static func products(count: Int = 300) -> [Product] {
        var generator = SeededGenerator(seed: 20_260_101)
        return (0..<count).map { index in
            let range = ranges[index % ranges.count]
            let noun = range.nouns[(index / ranges.count) % range.nouns.count]
            let adjective = adjectives[Int.random(in: 0..<adjectives.count, using: &generator)]
            let colour = colours[Int.random(in: 0..<colours.count, using: &generator)]
            let name = "\(adjective) \(noun) — \(colour)"
            let price = range.basePrice + Int.random(in: 0...40, using: &generator) * 250 + 99 - 100
            let roll = Int.random(in: 0..<12, using: &generator)
            let status = roll == 0 ? "draft" : (roll == 1 ? "inactive" : "active")
            let sku = String(format: "DEMO-%@-%04d", String(range.category.prefix(3)).uppercased(), index + 1)
            return Product(
                sku: sku, name: name, slug: slug(name) + "-\(index + 1)",
                description: "A \(adjective.lowercased()) \(noun.lowercased()) in \(colour.lowercased()), part of our \(range.category.lowercased()) range.",
                priceMinor: max(price, 199), status: status, categorySlug: slug(range.category),
                stock: Int.random(in: 0...120, using: &generator), attributes: ["colour": colour]
            )
        }
    }

    /// Lower-case ASCII words joined by hyphens.
    public static func slug(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var result = ""
        var lastWasHyphen = true
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                result.unicodeScalars.append(scalar)
                lastWasHyphen = false
            } else if !lastWasHyphen {
                result.append("-")
                lastWasHyphen = true
            }
        }
        if result.hasSuffix("-") { result.removeLast() }
        return result
    }
}

/// A small deterministic generator (SplitMix64), so demo data is the same on every machine.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
