import Foundation
import EmporiumCore
import Testing

@Suite("Paging parameters and the pagination object")
struct PagingTests {
    @Test func defaultsAndLimits() throws {
        #expect(try Page.parse(page: nil, limit: nil) == Page(page: 1, limit: 20))
        #expect(try Page.parse(page: "3", limit: "100") == Page(page: 3, limit: 100))
        for (page, limit) in [("0", "10"), ("-1", "10"), ("x", "10"), ("1", "0"), ("1", "101"), ("1", "ten")] {
            #expect(throws: DomainError.self) { try Page.parse(page: page, limit: limit) }
        }
    }

    @Test func paginationArithmetic() {
        let middle = Pagination(Page(page: 2, limit: 20), total: 150)
        #expect(middle.totalPages == 8)
        #expect(middle.hasNext && middle.hasPrev)
        let last = Pagination(Page(page: 8, limit: 20), total: 150)
        #expect(!last.hasNext)
        let empty = Pagination(Page(page: 1, limit: 20), total: 0)
        #expect(empty.totalPages == 0 && !empty.hasNext && !empty.hasPrev)
    }

    @Test func lockoutAfterTheConfiguredNumberOfFailures() {
        let throttle = LoginThrottle(maxAttempts: 3, lockDuration: 60)
        let now = Date()
        var attempts = 0
        var lockedUntil: Date?
        for _ in 1...3 {
            (attempts, lockedUntil) = throttle.afterFailure(attempts: attempts, now: now)
        }
        #expect(lockedUntil == now.addingTimeInterval(60))
        #expect(attempts == 0)
    }
}
