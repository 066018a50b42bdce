import EmporiumCore
import Foundation
import Synchronization
import Testing

@Suite("A shop's writes frozen while it moves")
struct ShopWriteFreezeTests {
    final class Clock: Sendable {
        let current = Mutex(Date(timeIntervalSince1970: 1_000_000))
        var now: Date { current.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
    }

    let shop = UUID()
    let other = UUID()

    @Test func aFrozenShopRefusesWritesUntilThawedOrTheFreezeRunsOutAndOtherShopsNeverNotice() async throws {
        let clock = Clock()
        let freeze = ShopWriteFreeze(now: { clock.now })
        let until = try await freeze.freeze(shop, seconds: 60)
        #expect(until == clock.now.addingTimeInterval(60))
        #expect(freeze.admitWrite(shop) == .frozen(until: until))
        #expect(freeze.admitWrite(other) == .admitted)
        freeze.finishWrite(other)
        clock.advance(59)
        #expect(freeze.frozenUntil(shop) == until)
        clock.advance(1)
        #expect(freeze.frozenUntil(shop) == nil, "a freeze always ends")
        #expect(freeze.admitWrite(shop) == .admitted)
        freeze.finishWrite(shop)

        try await freeze.freeze(shop, seconds: 60)
        freeze.thaw(shop)
        #expect(freeze.admitWrite(shop) == .admitted)
        freeze.finishWrite(shop)
    }

    @Test func theFreezeReturnsOnlyOnceTheWritesAlreadyRunningHaveFinished() async throws {
        let freeze = ShopWriteFreeze()
        #expect(freeze.admitWrite(shop) == .admitted)
        let finished = Mutex(false)
        let waiting = Task {
            try await freeze.freeze(shop, seconds: 60)
            return finished.withLock { $0 }
        }
        try await Task.sleep(for: .milliseconds(50))
        guard case .frozen = freeze.admitWrite(shop) else {
            Issue.record("new writes are refused while the running one finishes")
            return
        }
        finished.withLock { $0 = true }
        freeze.finishWrite(shop)
        #expect(try await waiting.value, "the freeze answered before the running write had finished")
    }

    @Test func aWriteThatDoesNotFinishInTimeLiftsTheFreezeAndTheCallerIsTold() async throws {
        let freeze = ShopWriteFreeze()
        #expect(freeze.admitWrite(shop) == .admitted)
        await #expect(throws: DomainError.self) { try await freeze.freeze(shop, seconds: 60, drainTimeout: .milliseconds(30)) }
        #expect(freeze.frozenUntil(shop) == nil, "no copy may be taken now, so the shop is writable again")
        freeze.finishWrite(shop)
    }

    @Test(arguments: [0, -1, ShopWriteFreeze.maximumSeconds + 1, Int.max, Int.min])
    func freezesOutsideTheirRangeAreRefused(_ seconds: Int) async throws {
        let freeze = ShopWriteFreeze()
        await #expect(throws: DomainError.self) { try await freeze.freeze(shop, seconds: seconds) }
        #expect(freeze.frozenUntil(shop) == nil)
    }

    @Test func shippingHandsRsyncOnlyBackupsAndRefusesDestinationsThatLookLikeOptions() {
        let shipping = BackupShipping(source: "/var/lib/emporium/backups", destination: "standby:/srv/a/")
        #expect(shipping.arguments == ["--archive", "--delete", "--include=*.sqlite.gz", "--include=*.sqlite.gz.sha256", "--exclude=*",
                                       "/var/lib/emporium/backups/", "standby:/srv/a/"])
        #expect(BackupShipping.isUsableDestination("/mnt/standby/a/"))
        #expect(!BackupShipping.isUsableDestination("--rsh=evil"))
        #expect(!BackupShipping.isUsableDestination("-e sh"))
        #expect(!BackupShipping.isUsableDestination("a\nb"))
        #expect(!BackupShipping.isUsableDestination(""))
    }
}
