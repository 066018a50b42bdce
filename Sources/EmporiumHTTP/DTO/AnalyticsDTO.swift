import EmporiumCore
import Foundation

/// `GET /analytics/dashboard`: the original spec's shape, money as decimals. `growth` and
/// `growthRate` are null when the previous period had nothing to compare with.
struct DashboardDTO: Encodable, Sendable {
    struct Summary: Encodable, Sendable {
        let totalRevenue: Decimal
        let totalOrders: Int
        let totalCustomers: Int
        let averageOrderValue: Decimal
        @NullWhenAbsent var growthRate: Decimal?
    }

    struct Comparison: Encodable, Sendable {
        let current: Decimal
        let previous: Decimal
        @NullWhenAbsent var growth: Decimal?
        let trend: String

        init(_ comparison: Dashboard.Comparison, money: Bool, exponent: Int = 2) {
            current = money ? Money.amount(comparison.current, exponent: exponent) : Decimal(comparison.current)
            previous = money ? Money.amount(comparison.previous, exponent: exponent) : Decimal(comparison.previous)
            growth = comparison.growth
            trend = comparison.trend.rawValue
        }
    }

    struct Metrics: Encodable, Sendable {
        let revenue: Comparison
        let orders: Comparison
        let customers: Comparison
    }

    struct Day: Encodable, Sendable {
        let date: String
        let revenue: Decimal
    }

    struct TopProduct: Encodable, Sendable {
        let productId: String
        let name: String
        let sales: Int
        let revenue: Decimal
    }

    struct Segment: Encodable, Sendable {
        let segment: String
        let count: Int
        let revenue: Decimal
    }

    struct Charts: Encodable, Sendable {
        let revenueByDay: [Day]
        let topProducts: [TopProduct]
        let customerSegments: [Segment]
    }

    struct Period: Encodable, Sendable {
        let from: String
        let to: String
        let days: Int
        let timeZone: String
        let currency: String
    }

    let summary: Summary
    let metrics: Metrics
    let charts: Charts
    let period: Period

    init(_ dashboard: Dashboard, currency: String, timeZone: String) {
        let exponent = Currency.exponent(currency)
        summary = Summary(totalRevenue: Money.amount(dashboard.totalRevenueMinor, exponent: exponent), totalOrders: dashboard.totalOrders,
                          totalCustomers: dashboard.totalCustomers, averageOrderValue: Money.amount(dashboard.averageOrderValueMinor, exponent: exponent),
                          growthRate: dashboard.growthRate)
        metrics = Metrics(revenue: Comparison(dashboard.revenue, money: true, exponent: exponent), orders: Comparison(dashboard.orders, money: false),
                          customers: Comparison(dashboard.customers, money: false))
        charts = Charts(
            revenueByDay: dashboard.revenueByDay.map { Day(date: $0.date, revenue: Money.amount($0.revenueMinor, exponent: exponent)) },
            topProducts: dashboard.topProducts.map {
                TopProduct(productId: $0.productID.lowercased, name: $0.name, sales: $0.units, revenue: Money.amount($0.revenueMinor, exponent: exponent))
            },
            customerSegments: dashboard.customerSegments.map { Segment(segment: $0.segment.rawValue, count: $0.count, revenue: Money.amount($0.revenueMinor, exponent: exponent)) }
        )
        period = Period(from: dashboard.period.days.first ?? "", to: dashboard.period.days.last ?? "", days: dashboard.period.days.count,
                        timeZone: timeZone, currency: currency)
    }
}
