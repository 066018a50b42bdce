import Foundation

/// One delivery pass over one shop's outbox: sends what is due, in order per recipient, and
/// records each attempt. A message is marked sent only after its receiver accepted it, so a crash
/// in between sends it again (at least once, under the same id) and never loses it. A message
/// whose send failed holds back the later messages to the same recipient until it is sent or dead.
/// Sends happen outside any transaction: a slow receiver never holds the shop's writer.
public struct OutboxDelivery: Sendable {
    public struct Pass: Sendable, Equatable {
        public var sent = 0
        public var failed = 0
        public var dead = 0
        public init() {}
    }

    let storage: any TenantStorage
    let senders: [any OutboxSender]
    let schedule: RetrySchedule
    let batchSize: Int
    /// Batches one pass sends from one shop before the worker moves on.
    let maximumBatches: Int
    let now: @Sendable () -> Date
    /// Told of every attempt (metrics); `transport` is the sender's name.
    let observe: @Sendable (_ transport: String, _ outcome: OutboxAttempt.Outcome) -> Void

    public init(storage: any TenantStorage, senders: [any OutboxSender], schedule: RetrySchedule = .standard, batchSize: Int = 100,
                maximumBatches: Int = 10, now: @escaping @Sendable () -> Date = { Date() },
                observe: @escaping @Sendable (_ transport: String, _ outcome: OutboxAttempt.Outcome) -> Void = { _, _ in }) {
        self.storage = storage
        self.senders = senders
        self.schedule = schedule
        self.batchSize = batchSize
        self.maximumBatches = maximumBatches
        self.now = now
        self.observe = observe
    }

    /// Sends the shop's due messages of every channel that has a sender. A channel without one
    /// (mail while `MAIL_URL` is unset) keeps its messages queued.
    public func run(shop: UUID) async throws -> Pass {
        var pass = Pass()
        for sender in senders {
            let channel = sender.channel
            let limit = batchSize
            // Whole batches follow each other at once, up to `maximumBatches`, then the worker
            // moves on to the next shop: a shop with a long queue does not starve the others.
            for _ in 0..<maximumBatches {
                let due = try await storage.read(shop) { tx in try tx.outbox.due(channel, at: now(), limit: limit) }
                var heldRecipients = Set<String>()
                var progressed = false
                var receiverDown = false
                for message in due where !heldRecipients.contains(message.recipient) {
                    if Task.isCancelled { return pass }
                    let (outcome, unavailable) = await attempt(message, with: sender, shop: shop)
                    switch outcome {
                    case .sent: pass.sent += 1; progressed = true
                    case .failed: pass.failed += 1; heldRecipients.insert(message.recipient)
                    case .dead: pass.dead += 1; progressed = true
                    }
                    if unavailable { receiverDown = true; break }
                }
                if receiverDown { break }
                if due.count < limit || !progressed { break }
            }
        }
        return pass
    }

    /// Sends one message and records the attempt; also answers whether the receiver was down.
    private func attempt(_ message: OutboxMessage, with sender: any OutboxSender, shop: UUID) async -> (OutboxAttempt.Outcome, receiverDown: Bool) {
        let failure: OutboxFailure?
        do {
            try await sender.send(message, shop: shop)
            failure = nil
        } catch let error as OutboxFailure {
            failure = error
        } catch {
            // The server is stopping: the message stays queued as it was, and goes after the restart.
            if Task.isCancelled { return (.failed, true) }
            failure = .temporary(String(describing: error))
        }
        let finished = now()
        var updated = message
        updated.attempts += 1
        let attempt: OutboxAttempt
        switch failure {
        case nil:
            updated.status = .sent
            updated.sentAt = finished
            updated.lastError = nil
            attempt = OutboxAttempt(number: updated.attempts, at: finished, outcome: .sent)
        case .permanent(let reason)?:
            updated.status = .dead
            updated.lastError = Self.clipped(reason)
            attempt = OutboxAttempt(number: updated.attempts, at: finished, outcome: .dead, error: updated.lastError)
        case .temporary(let reason)?, .unavailable(let reason)?:
            updated.lastError = Self.clipped(reason)
            if let wait = schedule.delay(afterAttempt: updated.attempts) {
                updated.nextAttemptAt = finished.addingTimeInterval(wait)
                attempt = OutboxAttempt(number: updated.attempts, at: finished, outcome: .failed, error: updated.lastError)
            } else {
                updated.status = .dead
                attempt = OutboxAttempt(number: updated.attempts, at: finished, outcome: .dead, error: updated.lastError)
            }
        }
        observe(sender.transportName, attempt.outcome)
        do {
            let record = updated
            try await storage.write(shop) { tx in
                // A person may have resent or the shop been restored meanwhile: only a message still
                // queued is updated.
                guard let current = try tx.outbox.message(id: record.id), current.status == .queued else { return }
                try tx.outbox.record(attempt, of: record)
            }
        } catch {
            // Not recorded: the message stays queued and is sent again, under the same id.
        }
        if case .unavailable? = failure { return (attempt.outcome, true) }
        return (attempt.outcome, false)
    }

    /// An error text on one line, cut to the column's 2,000 characters (SQLite counts scalars).
    static func clipped(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        return String(String.UnicodeScalarView(flat.unicodeScalars.prefix(2000)))
    }
}
