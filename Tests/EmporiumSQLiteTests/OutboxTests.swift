import EmporiumCore
import EmporiumSQLite
import Foundation
import Testing

/// The outbox in a real shop file and its delivery pass: a message exists exactly when its change
/// committed, is marked sent only after the receiver took it, keeps its order per recipient across
/// retries, dies after the last retry, and a channel without a sender keeps its messages queued.
@Suite("Outbox: enqueue with the change, deliver in order, retry, give up")
struct OutboxTests {
    /// A clock the test moves by hand.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var current = Date(timeIntervalSince1970: 1_800_000_000)
        var now: Date { lock.withLock { current } }
        func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
        func set(_ date: Date) { lock.withLock { current = date } }
    }

    /// A sender that records what it was given and fails the way the test says.
    final class FakeSender: OutboxSender, @unchecked Sendable {
        let channel = OutboxChannel.mail
        let transportName = "fake"
        private let lock = NSLock()
        private var delivered: [OutboxMessage] = []
        private var failures: [String: OutboxFailure] = [:]
        var sent: [OutboxMessage] { lock.withLock { delivered } }
        func fail(_ recipient: String, with failure: OutboxFailure?) { lock.withLock { failures[recipient] = failure } }
        func send(_ message: OutboxMessage, shop: UUID) async throws {
            try lock.withLock {
                if let failure = failures[message.recipient] { throw failure }
                delivered.append(message)
            }
        }
    }

    struct Shop {
        let backend: SQLiteBackend
        let id: UUID
        var storage: any TenantStorage { backend.tenantStorage }
    }

    func shop() async throws -> Shop {
        let backend = try SQLiteBackend(config: try temporaryConfig())
        let tenants = TenantService(store: backend.tenants, provisioner: backend.provisioner, directory: TenantDirectory(store: backend.tenants))
        let tenant = try await tenants.create(NewTenant(name: "Outbox", subdomain: "outbox"))
        return Shop(backend: backend, id: tenant.id)
    }

    func enqueue(_ shop: Shop, _ recipient: String, topic: String = "mail.test", at clock: Clock) async throws -> OutboxMessage {
        let now = clock.now
        return try await shop.storage.write(shop.id) { tx in
            try tx.outbox.enqueue(.new(.mail, topic: topic, to: recipient, payload: .object(["n": .number(1)]), at: now))
        }
    }

    @Test func aMessageIsWrittenWithItsChangeOrNotAtAll() async throws {
        let shop = try await shop()
        let clock = Clock()
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await shop.storage.write(shop.id) { tx in
                try tx.outbox.enqueue(.new(.mail, topic: "order.received", to: "a@example.com", payload: .object([:]), at: clock.now))
                throw Refused()
            }
        }
        let kept = try await enqueue(shop, "a@example.com", at: clock)
        let counts = try await shop.storage.read(shop.id) { tx in try tx.outbox.counts(.mail) }
        #expect(counts == OutboxCounts(queued: 1, dead: 0))
        let stored = try await shop.storage.read(shop.id) { tx in try tx.outbox.message(id: kept.id) }
        #expect(stored?.id == kept.id)
        #expect(stored?.seq ?? 0 > 0)
        await shop.backend.shutdown()
    }

    @Test func aPassSendsDueMessagesOnceAndMarksThemSent() async throws {
        let shop = try await shop()
        let clock = Clock()
        let sender = FakeSender()
        let first = try await enqueue(shop, "a@example.com", at: clock)
        let second = try await enqueue(shop, "b@example.com", at: clock)
        let delivery = OutboxDelivery(storage: shop.storage, senders: [sender], now: { clock.now })
        let pass = try await delivery.run(shop: shop.id)
        #expect(pass.sent == 2)
        #expect(sender.sent.map(\.id) == [first.id, second.id])
        let again = try await delivery.run(shop: shop.id)
        #expect(again.sent == 0)
        #expect(sender.sent.count == 2)
        let attempts = try await shop.storage.read(shop.id) { tx in try tx.outbox.attempts(of: first.id) }
        #expect(attempts.map(\.outcome) == [.sent])
        let stored = try await shop.storage.read(shop.id) { tx in try tx.outbox.message(id: first.id) }
        #expect(stored?.status == .sent)
        #expect(stored?.sentAt == clock.now)
        await shop.backend.shutdown()
    }

    @Test func aFailedMessageHoldsBackLaterOnesToTheSameRecipientUntilItIsSent() async throws {
        let shop = try await shop()
        let clock = Clock()
        let sender = FakeSender()
        let received = try await enqueue(shop, "a@example.com", topic: "order.received", at: clock)
        let shipped = try await enqueue(shop, "a@example.com", topic: "order.shipped", at: clock)
        let other = try await enqueue(shop, "b@example.com", at: clock)
        sender.fail("a@example.com", with: .temporary("421 try later"))
        let delivery = OutboxDelivery(storage: shop.storage, senders: [sender], now: { clock.now })
        let first = try await delivery.run(shop: shop.id)
        #expect(first.failed == 1)
        #expect(sender.sent.map(\.id) == [other.id])
        // Due again only after the first retry's wait; the later message waits behind it meanwhile.
        clock.advance(29)
        _ = try await delivery.run(shop: shop.id)
        #expect(sender.sent.map(\.id) == [other.id])
        sender.fail("a@example.com", with: nil)
        clock.advance(2)
        _ = try await delivery.run(shop: shop.id)
        #expect(sender.sent.map(\.id) == [other.id, received.id, shipped.id], "the retried message first, the one it held right after")
        let stored = try await shop.storage.read(shop.id) { tx in try tx.outbox.message(id: received.id) }
        #expect(stored?.attempts == 2)
        #expect(stored?.id == received.id, "a retry keeps the message's id: its Message-ID")
        await shop.backend.shutdown()
    }

    @Test func aMessageIsDeadAfterItsLastRetryAboutADayLaterAndAPermanentRefusalKillsItAtOnce() async throws {
        let shop = try await shop()
        let clock = Clock()
        let sender = FakeSender()
        let doomed = try await enqueue(shop, "gone@example.com", at: clock)
        let refused = try await enqueue(shop, "nobody@example.com", at: clock)
        sender.fail("gone@example.com", with: .temporary("connection refused"))
        sender.fail("nobody@example.com", with: .permanent("550 no such user"))
        let delivery = OutboxDelivery(storage: shop.storage, senders: [sender], now: { clock.now })
        let started = clock.now
        var passes = 0
        while passes < 100 {
            _ = try await delivery.run(shop: shop.id)
            passes += 1
            let stored = try await shop.storage.read(shop.id) { tx in try tx.outbox.message(id: doomed.id) }
            guard let stored, stored.status == .queued else { break }
            clock.set(stored.nextAttemptAt)
        }
        let dead = try await shop.storage.read(shop.id) { tx in try tx.outbox.message(id: doomed.id) }
        #expect(dead?.status == .dead)
        #expect(dead?.attempts == RetrySchedule.standard.maximumAttempts)
        let hours = clock.now.timeIntervalSince(started) / 3600
        #expect(hours > 20 && hours < 26, "gave up after \(hours) h")
        let attempts = try await shop.storage.read(shop.id) { tx in try tx.outbox.attempts(of: doomed.id) }
        #expect(attempts.count == RetrySchedule.standard.maximumAttempts)
        #expect(attempts.last?.outcome == .dead)
        let refusedNow = try await shop.storage.read(shop.id) { tx in try tx.outbox.message(id: refused.id) }
        #expect(refusedNow?.status == .dead)
        #expect(refusedNow?.attempts == 1)
        #expect(refusedNow?.lastError == "550 no such user")
        let counts = try await shop.storage.read(shop.id) { tx in try tx.outbox.counts(.mail) }
        #expect(counts == OutboxCounts(queued: 0, dead: 2))
        await shop.backend.shutdown()
    }

    @Test func manyMessagesToOneRecipientGoOutInOrderInOnePass() async throws {
        let shop = try await shop()
        let clock = Clock()
        let sender = FakeSender()
        var written: [UUID] = []
        for _ in 0..<250 { written.append(try await enqueue(shop, "staff@example.com", at: clock).id) }
        let pass = try await OutboxDelivery(storage: shop.storage, senders: [sender], now: { clock.now }).run(shop: shop.id)
        #expect(pass.sent == 250)
        #expect(sender.sent.map(\.id) == written)
        await shop.backend.shutdown()
    }

    @Test func aReceiverThatIsDownEndsThePassWithoutChargingTheOtherMessages() async throws {
        let shop = try await shop()
        let clock = Clock()
        let sender = FakeSender()
        let first = try await enqueue(shop, "a@example.com", at: clock)
        let second = try await enqueue(shop, "b@example.com", at: clock)
        sender.fail("a@example.com", with: .unavailable("cannot connect to 127.0.0.1:25"))
        let pass = try await OutboxDelivery(storage: shop.storage, senders: [sender], now: { clock.now }).run(shop: shop.id)
        #expect(pass.failed == 1 && pass.sent == 0)
        let stored = try await shop.storage.read(shop.id) { tx in (try tx.outbox.message(id: first.id), try tx.outbox.message(id: second.id)) }
        #expect(stored.0?.attempts == 1 && stored.0?.status == .queued)
        #expect(stored.1?.attempts == 0, "not tried against a server that is down")
        await shop.backend.shutdown()
    }

    @Test func withoutASenderMessagesStayQueued() async throws {
        let shop = try await shop()
        let clock = Clock()
        _ = try await enqueue(shop, "a@example.com", at: clock)
        let pass = try await OutboxDelivery(storage: shop.storage, senders: [], now: { clock.now }).run(shop: shop.id)
        #expect(pass == OutboxDelivery.Pass())
        let counts = try await shop.storage.read(shop.id) { tx in try tx.outbox.counts(.mail) }
        #expect(counts.queued == 1)
        await shop.backend.shutdown()
    }

    @Test func sentMessagesArePrunedAfterRetentionAndDeadOnesStay() async throws {
        let shop = try await shop()
        let clock = Clock()
        let sender = FakeSender()
        let sent = try await enqueue(shop, "a@example.com", at: clock)
        let dead = try await enqueue(shop, "b@example.com", at: clock)
        sender.fail("b@example.com", with: .permanent("550"))
        _ = try await OutboxDelivery(storage: shop.storage, senders: [sender], now: { clock.now }).run(shop: shop.id)
        clock.advance(31 * 86_400)
        let cutoff = clock.now.addingTimeInterval(-30 * 86_400)
        let pruned = try await shop.storage.write(shop.id) { tx in try tx.outbox.prune(sentBefore: cutoff, limit: 100) }
        #expect(pruned == 1)
        let left = try await shop.storage.read(shop.id) { tx in (try tx.outbox.message(id: sent.id), try tx.outbox.message(id: dead.id)) }
        #expect(left.0 == nil)
        #expect(left.1?.status == .dead)
        let attempts = try await shop.storage.read(shop.id) { tx in try tx.outbox.attempts(of: sent.id) }
        #expect(attempts.isEmpty, "a pruned message's attempts go with it")
        await shop.backend.shutdown()
    }
}
