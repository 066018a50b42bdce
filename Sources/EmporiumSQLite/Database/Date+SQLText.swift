import EmporiumSupport
import Foundation

extension Date {
    /// The text GRDB stores for a date (`yyyy-MM-dd HH:mm:ss.SSS`, UTC, to the nearest millisecond),
    /// made without a `DateFormatter`: GRDB formats `Date` arguments with one, through ICU, and
    /// that was half the cost of inserting an order. Same text, so stored values compare and sort
    /// as before (`DateSQLTextTests` checks it against GRDB's own).
    var sqlText: String { UTCTime(self).sqlText }
}
