import Foundation

/// The analytics dashboard of one shop over one period: the original spec's shape, with money in
/// minor units (the HTTP layer turns them into decimals). Definitions are in docs/analytics.md.
public struct Dashboard: Sendable, Equatable {
    public enum Trend: String, Sendable { case up, down, flat }

    public struct Comparison: Sendable, Equatable {
        public var current: Int
        public var previous: Int
        /// Percent change, one decimal; nil when the previous period is zero (no meaningful ratio).
        public var growth: Decimal?
        public var trend: Trend

        init(current: Int, previous: Int) {
            self.current = current
            self.previous = previous
            self.growth = Self.growth(current: current, previous: previous)
            self.trend = current > previous ? .up : current < previous ? .down : .flat
        }

        static func growth(current: Int, previous: Int) -> Decimal? {
            guard previous != 0 else { return nil }
            var ratio = (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous).magnitude
            var rounded = Decimal()
            NSDecimalRound(&rounded, &ratio, 1, .plain)
            return rounded
        }
    }

    public struct Day: Sendable, Equatable {
        public var date: String
        public var revenueMinor: Int
    }

    public struct Segment: Sendable, Equatable {
        public enum Name: String, Sendable { case new = "New", returning = "Returning" }
        public var segment: Name
        public var count: Int
        public var revenueMinor: Int
    }

    public var totalRevenueMinor: Int
    public var totalOrders: Int
    public var totalCustomers: Int
    public var averageOrderValueMinor: Int
    public var growthRate: Decimal?
    public var revenue: Comparison
    public var orders: Comparison
    public var customers: Comparison
    public var revenueByDay: [Day]
    public var topProducts: [ProductSales]
    public var customerSegments: [Segment]
    public var period: AnalyticsPeriod
}

extension Dashboard {
    /// Builds the dashboard from the revenue events of both periods, the current period's top
    /// products and the first payment of each customer who paid in the current period.
    static func build(period: AnalyticsPeriod, events: [RevenueEvent], topProducts: [ProductSales], firstPayments: [UUID: Date]) -> Dashboard {
        var current = Totals(), previous = Totals()
        var byDay = [Int](repeating: 0, count: period.days.count)
        var segmentRevenue: [Segment.Name: Int] = [:]
        var segmentCustomers: [Segment.Name: Set<UUID>] = [:]
        for event in events {
            let signed = event.kind == .sale ? event.amountMinor : -event.amountMinor
            if let day = period.dayIndex(of: event.at) {
                current.add(event)
                byDay[day] = byDay[day].addingSaturated(signed)
                if let customer = event.customerID {
                    let name: Segment.Name = (firstPayments[customer].map { $0 >= period.start } ?? false) ? .new : .returning
                    segmentRevenue[name] = segmentRevenue[name, default: 0].addingSaturated(signed)
                    if event.kind == .sale { segmentCustomers[name, default: []].insert(customer) }
                }
            } else if event.at >= period.previousStart, event.at < period.start {
                previous.add(event)
            }
        }
        let revenue = Comparison(current: current.netMinor, previous: previous.netMinor)
        return Dashboard(
            totalRevenueMinor: current.netMinor, totalOrders: current.orders, totalCustomers: current.customers.count,
            averageOrderValueMinor: current.orders == 0 ? 0 : current.grossMinor.addingSaturated(current.orders / 2) / current.orders,
            growthRate: revenue.growth,
            revenue: revenue,
            orders: Comparison(current: current.orders, previous: previous.orders),
            customers: Comparison(current: current.customers.count, previous: previous.customers.count),
            revenueByDay: zip(period.days, byDay).map { Day(date: $0, revenueMinor: $1) },
            topProducts: topProducts,
            customerSegments: [Segment.Name.new, .returning].map {
                Segment(segment: $0, count: segmentCustomers[$0]?.count ?? 0, revenueMinor: segmentRevenue[$0] ?? 0)
            },
            period: period
        )
    }

    private struct Totals {
        var grossMinor = 0
        var netMinor = 0
        var orders = 0
        var customers: Set<UUID> = []

        mutating func add(_ event: RevenueEvent) {
            switch event.kind {
            case .sale:
                grossMinor = grossMinor.addingSaturated(event.amountMinor)
                netMinor = netMinor.addingSaturated(event.amountMinor)
                orders = orders.addingSaturated(1)
                if let customer = event.customerID { customers.insert(customer) }
            case .reversal:
                netMinor = netMinor.addingSaturated(-event.amountMinor)
            }
        }
    }
}
