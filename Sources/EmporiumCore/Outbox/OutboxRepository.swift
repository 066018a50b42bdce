import Foundation

/// A shop's outbox (`sql/tenant/0015_outbox_and_mail.sql`).
public protocol OutboxRepository {
    /// Writes `message` in the caller's transaction and returns it with its position.
    @discardableResult
    func enqueue(_ message: OutboxMessage) throws -> OutboxMessage
    /// Queued messages of `channel` due at `now`, in the order they were written, at most `limit`,
    /// leaving out every message with an earlier message to the same recipient that waits for a
    /// retry: order per recipient is kept across retries.
    func due(_ channel: OutboxChannel, at now: Date, limit: Int) throws -> [OutboxMessage]
    func message(id: UUID) throws -> OutboxMessage?
    /// Newest first; `status` narrows the list.
    func recent(status: OutboxStatus?, page: Page) throws -> [OutboxMessage]
    func count(status: OutboxStatus?) throws -> Int
    /// Stores the message's new state and the attempt that led to it.
    func record(_ attempt: OutboxAttempt, of message: OutboxMessage) throws
    func attempts(of messageID: UUID) throws -> [OutboxAttempt]
    func counts(_ channel: OutboxChannel) throws -> OutboxCounts
    /// Forgets at most `limit` messages sent before `cutoff` (`OUTBOX_RETENTION`); dead ones stay
    /// until a person looks. Returns how many went.
    func prune(sentBefore cutoff: Date, limit: Int) throws -> Int
}
