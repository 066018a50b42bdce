/// Sums of money and counts that grow with a shop's history (totals, analytics) stop at the ends of
/// `Int` instead of trapping: a trap would take down every shop the process serves, and no real
/// shop comes near 9.2 × 10^18 minor units.
extension Int {
    public func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    public func multipliedSaturated(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) != (other < 0) ? .min : .max) : product
    }
}
