@testable import EmporiumCore
import Foundation
import Testing

@Suite("Analytics: periods in the shop's time zone, revenue rules, growth, CSV")
struct AnalyticsRulesTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let utc = TimeZone(identifier: "UTC")!

    func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func sevenDaysEndWithTodayInTheShopsZone() throws {
        // 23:30 UTC on the 10th is already the 11th in Berlin.
        let period = try AnalyticsPeriod.resolve(period: "7d", from: nil, to: nil, timeZone: berlin, now: instant("2026-06-10T23:30:00Z"))
        #expect(period.days == ["2026-06-05", "2026-06-06", "2026-06-07", "2026-06-08", "2026-06-09", "2026-06-10", "2026-06-11"])
        #expect(period.start == instant("2026-06-04T22:00:00Z"))
        #expect(period.end == instant("2026-06-11T22:00:00Z"))
        #expect(period.previousStart == instant("2026-05-28T22:00:00Z"))
        #expect(period.dayIndex(of: instant("2026-06-04T21:59:59Z")) == nil)
        #expect(period.dayIndex(of: instant("2026-06-04T22:00:00Z")) == 0)
        #expect(period.dayIndex(of: instant("2026-06-11T21:59:59Z")) == 6)
        #expect(period.dayIndex(of: instant("2026-06-11T22:00:00Z")) == nil)
    }

    @Test func aDayOfTwentyThreeHoursCountsOnce() throws {
        // Berlin moves its clocks forward on 2026-03-29.
        let period = try AnalyticsPeriod.resolve(period: nil, from: "2026-03-28", to: "2026-03-30", timeZone: berlin, now: Date())
        #expect(period.days == ["2026-03-28", "2026-03-29", "2026-03-30"])
        #expect(period.end.timeIntervalSince(period.start) == (24 + 23 + 24) * 3600)
        #expect(period.dayIndex(of: instant("2026-03-29T21:59:00Z")) == 1)
        #expect(period.dayIndex(of: instant("2026-03-29T22:00:00Z")) == 2)
    }

    @Test(arguments: [
        ("1d", nil, nil), ("7", nil, nil), (nil, "2026-01-01", nil), (nil, "2026-02-30", "2026-03-01"), (nil, "2026-1-1", "2026-01-02"),
        (nil, "2026-03-02", "2026-03-01"), (nil, "2025-01-01", "2026-12-31"), ("7d", "2026-01-01", "2026-01-02"), (nil, "0000-01-01", "0000-01-02"),
    ] as [(String?, String?, String?)])
    func badRangesAreRefused(_ period: String?, _ from: String?, _ to: String?) {
        #expect(throws: DomainError.self) { try AnalyticsPeriod.resolve(period: period, from: from, to: to, timeZone: utc, now: Date()) }
    }

    func sale(_ amount: Int, _ at: String, customer: UUID? = nil, order: UUID = UUID()) -> RevenueEvent {
        RevenueEvent(orderID: order, customerID: customer, kind: .sale, amountMinor: amount, at: instant(at))
    }

    @Test func sumsPastTheEndOfIntSaturateInsteadOfTrapping() throws {
        // Given revenue events whose sum does not fit in Int (a hand-edited file, or years of huge orders)
        let period = try AnalyticsPeriod.resolve(period: nil, from: "2026-06-01", to: "2026-06-01", timeZone: utc, now: Date())
        let customer = UUID()
        let events = (0..<3).map { _ in sale(Int.max / 2, "2026-06-01T10:00:00Z", customer: customer) }
            + [sale(Int.max, "2026-05-31T10:00:00Z")]
        // When the dashboard is built, then it answers with the largest figure instead of stopping the process
        let dashboard = Dashboard.build(period: period, events: events, topProducts: [], firstPayments: [customer: instant("2026-06-01T10:00:00Z")])
        #expect(dashboard.totalRevenueMinor == Int.max)
        #expect(dashboard.revenueByDay.map(\.revenueMinor) == [Int.max])
        #expect(Int.min.addingSaturated(-1) == Int.min && Int.max.multipliedSaturated(by: -2) == Int.min && 3.multipliedSaturated(by: 4) == 12)
        let line = OrderLine(productID: UUID(), variantID: UUID(), sku: "X", name: "X", quantity: 999, unitPriceMinor: Int.max / 10)
        #expect(line.lineTotalMinor == Int.max)
    }

    @Test func refundsSubtractOnTheirOwnDayAndGrowthAgainstNothingIsNull() throws {
        let period = try AnalyticsPeriod.resolve(period: nil, from: "2026-06-01", to: "2026-06-03", timeZone: utc, now: Date())
        let alice = UUID(), bob = UUID()
        let refunded = UUID()
        let events = [
            sale(1_000, "2026-06-01T10:00:00Z", customer: alice, order: refunded),
            sale(2_999, "2026-06-01T11:00:00Z", customer: bob),
            RevenueEvent(orderID: refunded, customerID: alice, kind: .reversal, amountMinor: 1_000, at: instant("2026-06-03T09:00:00Z")),
            sale(500, "2026-06-04T00:00:00Z", customer: alice), // after the period
        ]
        let dashboard = Dashboard.build(period: period, events: events, topProducts: [],
                                        firstPayments: [alice: instant("2026-06-01T10:00:00Z"), bob: instant("2026-01-01T00:00:00Z")])
        #expect(dashboard.revenueByDay.map(\.revenueMinor) == [3_999, 0, -1_000])
        #expect(dashboard.revenueByDay.map(\.date) == ["2026-06-01", "2026-06-02", "2026-06-03"])
        #expect(dashboard.totalRevenueMinor == 2_999)
        #expect(dashboard.totalOrders == 2)
        #expect(dashboard.totalCustomers == 2)
        #expect(dashboard.averageOrderValueMinor == 2_000) // (1000 + 2999) / 2 = 1999.5, rounded half up
        #expect(dashboard.revenue.growth == nil && dashboard.revenue.trend == .up)
        #expect(dashboard.growthRate == nil)
        #expect(dashboard.customerSegments == [
            .init(segment: .new, count: 1, revenueMinor: 0),
            .init(segment: .returning, count: 1, revenueMinor: 2_999),
        ])
    }

    @Test func growthIsAPercentWithOneDecimalAndTrendFollowsIt() throws {
        let period = try AnalyticsPeriod.resolve(period: nil, from: "2026-06-08", to: "2026-06-14", timeZone: utc, now: Date())
        let events = [sale(3_000, "2026-06-01T10:00:00Z"), sale(4_000, "2026-06-09T10:00:00Z"), sale(1, "2026-05-31T23:59:59Z")]
        let dashboard = Dashboard.build(period: period, events: events, topProducts: [], firstPayments: [:])
        #expect(dashboard.revenue.previous == 3_000) // the sale before previousStart is outside both
        #expect(dashboard.revenue.growth == Decimal(string: "33.3"))
        #expect(dashboard.orders.growth == 0 && dashboard.orders.trend == .flat)
        let empty = Dashboard.build(period: period, events: [], topProducts: [], firstPayments: [:])
        #expect(empty.revenue.growth == nil && empty.revenue.trend == .flat && empty.averageOrderValueMinor == 0)
        let fall = Dashboard.build(period: period, events: [sale(3_000, "2026-06-01T10:00:00Z")], topProducts: [], firstPayments: [:])
        #expect(fall.revenue.growth == -100 && fall.revenue.trend == .down)
    }

    @Test func csvQuotesLikeRFC4180AndDisarmsFormulas() {
        #expect(SalesCSV.field("plain") == "plain")
        #expect(SalesCSV.field("a,b") == "\"a,b\"")
        #expect(SalesCSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(SalesCSV.field("two\r\nlines") == "\"two\r\nlines\"")
        #expect(SalesCSV.text("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")")
        #expect(SalesCSV.text("-5 mugs") == "'-5 mugs")
        #expect(SalesCSV.text("Mug") == "Mug")
        #expect(SalesCSV.text("\r\n=1") == "'\r\n=1")
        #expect(SalesCSV.amount(1999) == "19.99")
        #expect(SalesCSV.amount(5) == "0.05")
        #expect(SalesCSV.amount(-1005) == "-10.05")
        #expect(SalesCSV.amount(0) == "0.00")
        #expect(SalesCSV.amount(1500, exponent: 0) == "1500" && SalesCSV.amount(1234, exponent: 3) == "1.234" && SalesCSV.amount(-7, exponent: 3) == "-0.007")
        #expect(SalesCSV.headerRow().hasSuffix("currency,variant_id,variant\r\n"))
    }

    @Test func demoHistoryHasMonthsOfOrdersNewAndReturningCustomersAndSomeReversals() {
        let now = instant("2026-11-26T12:00:00Z")
        let plan = DemoHistory.plan(productCount: 60, now: now)
        #expect(plan.count > 300)
        let oldest = plan.map(\.placedAt).min()!
        #expect(now.timeIntervalSince(oldest) > 90 * 86_400)
        #expect(plan.allSatisfy { $0.placedAt < now && $0.events.allSatisfy { $0.1 < now } })
        let customers = Dictionary(grouping: plan, by: \.customer)
        #expect(customers.values.contains { $0.count > 1 } && customers.values.contains { $0.count == 1 })
        #expect(plan.contains { $0.events.last?.0 == .refunded } && plan.contains { $0.events.last?.0 == .cancelled })
        // The last days still have orders on their way (paid, fulfilled or shipped, not yet delivered).
        #expect(plan.contains { [.paid, .fulfilled, .shipped].contains($0.events.last?.0) })
        #expect(plan.allSatisfy { order in order.lines.allSatisfy { (0..<60).contains($0.product) } })
    }
}
