import EmporiumCore
import Foundation
import Synchronization
import Testing

@Suite("Money, search text, the order state machine and the cache")
struct CommerceRulesTests {
    @Test func moneyIsExactInMinorUnits() throws {
        let unit = try Money.minorUnits(Decimal(string: "19.99")!)
        #expect(unit == 1999)
        #expect(Money.amount(3 * unit) == Decimal(string: "59.97")!)
        #expect("\(Money.amount(3 * unit))" == "59.97")
        #expect(try Money.minorUnits(Decimal(string: "19.990")!) == 1999)
        #expect(try Money.minorUnits(0) == 0)
        for bad in ["19.999", "-1", "0.001", "100000000"] {
            #expect(throws: DomainError.self, "\(bad)") { try Money.minorUnits(Decimal(string: bad)!) }
        }
    }

    @Test(arguments: [#"""#, "*", "NEAR(", "a AND", "(((", "name:secret", "-", "^x", "\"unterminated", "a OR b NOT c", "💥", "  ", ""])
    func hostileSearchTextBecomesQuotedWordsOrNothing(_ input: String) {
        let expression = SearchText.matchExpression(input)
        // Nothing to search for exactly when the input holds no word at all.
        #expect((expression != nil) == input.contains { $0.isLetter || $0.isNumber }, "\(input) → \(expression ?? "nil")")
        // Every term is a quoted word with a prefix star: no operator survives.
        for term in (expression ?? "").split(separator: " ") {
            #expect(term.hasPrefix("\"") && term.hasSuffix("\"*"), "\(expression)")
            #expect(!term.dropFirst().dropLast(2).contains("\""))
        }
    }

    @Test func searchTextKeepsWordsAndPrefixes() {
        #expect(SearchText.matchExpression("Organic  tea-pot") == #""Organic"* "tea"* "pot"*"#)
        #expect(SearchText.matchExpression("café") == #""café"*"#)
    }

    @Test func everyTransitionOutsideTheLifecycleIsRefused() {
        let allowed: Set<String> = [
            "pending-pay", "paid-fulfill", "fulfilled-ship", "shipped-deliver", "pending-cancel", "paid-cancel",
            "paid-refund", "fulfilled-refund", "shipped-refund", "delivered-refund",
        ]
        for status in OrderStatus.allCases {
            for action in OrderAction.allCases {
                let key = "\(status.rawValue)-\(action.rawValue)"
                #expect((action.target(from: status) != nil) == allowed.contains(key), "\(key)")
            }
        }
        #expect(OrderAction.refund.target(from: .delivered) == .refunded)
        #expect(OrderAction.cancel.target(from: .shipped) == nil)
    }

    @Test func cacheIsNamespacedBoundedAndExpires() {
        let clock = MutableClock()
        let cache = MemoryCache(maxEntries: 100, maxBytes: 10_000, ttl: 60, now: { clock.now })
        let shopA = UUID(), shopB = UUID()
        cache.store("a", cost: 10, tenant: shopA, key: "k")
        cache.store("b", cost: 10, tenant: shopB, key: "k")
        #expect(cache.value(String.self, tenant: shopA, key: "k") == "a")
        #expect(cache.value(String.self, tenant: shopB, key: "k") == "b")
        cache.invalidate(tenant: shopA)
        #expect(cache.value(String.self, tenant: shopA, key: "k") == nil)
        #expect(cache.value(String.self, tenant: shopB, key: "k") == "b")
        clock.advance(61)
        #expect(cache.value(String.self, tenant: shopB, key: "k") == nil)
        for index in 0..<1_000 { cache.store(index, cost: 50, tenant: shopA, key: "\(index)") }
        let stats = cache.statistics()
        #expect(stats.entries <= 100)
        #expect(stats.bytes <= 10_000)
        cache.store(String(repeating: "x", count: 5_000), cost: 5_000, tenant: shopA, key: "huge")
        #expect(cache.value(String.self, tenant: shopA, key: "huge") == nil)
        #expect(stats.hits >= 3 && stats.misses >= 2)
    }

    @Test func conversionRateIsSalesOverViewsToOneDecimal() {
        var product = Product(id: UUID(), sku: "S", name: "N", slug: "n", description: "", priceMinor: 100, status: .active, categoryID: nil,
                              images: [], attributes: [:], stock: 5, lowStockThreshold: 1, createdAt: Date(), updatedAt: Date())
        #expect(product.conversionRate == 0)
        product.views = 1250
        product.sales = 45
        #expect(product.conversionRate == Decimal(string: "3.6")!)
        product.views = 3
        product.sales = 1
        #expect(product.conversionRate == Decimal(string: "33.3")!)
    }
}

final class MutableClock: Sendable {
    private let current = Mutex(Date())
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
