import EmporiumCore
import Foundation
import GRDB

struct SQLiteOutboxRepository: OutboxRepository {
    let db: Database

    func enqueue(_ message: OutboxMessage) throws -> OutboxMessage {
        var record = OutboxRecord(message)
        record.seq = nil
        try record.insert(db)
        return record.message
    }

    func due(_ channel: OutboxChannel, at now: Date, limit: Int) throws -> [OutboxMessage] {
        // In queue order (seq), so a recipient's messages come in the order they were written; one
        // is left out while an earlier message to its recipient waits for a retry. Earlier messages
        // that are due are in the same batch, before it (the pass stops at a recipient's failure).
        try OutboxRecord.fetchAll(db, cached: """
            SELECT * FROM outbox AS o INDEXED BY outbox_queue
            WHERE o.status = 'queued' AND o.channel = ? AND o.next_attempt_at <= ?
              AND NOT EXISTS (SELECT 1 FROM outbox AS e INDEXED BY outbox_recipient_queue
                              WHERE e.status = 'queued' AND e.recipient = o.recipient AND e.seq < o.seq AND e.next_attempt_at > ?)
            ORDER BY o.seq
            LIMIT ?
            """, arguments: [channel.rawValue, now.sqlText, now.sqlText, limit]).map(\.message)
    }

    func message(id: UUID) throws -> OutboxMessage? {
        try OutboxRecord.filter(OutboxRecord.Columns.id == id.lowercased).fetchOne(db)?.message
    }

    func recent(status: OutboxStatus?, page: Page) throws -> [OutboxMessage] {
        var request = OutboxRecord.all()
        if let status { request = request.filter(OutboxRecord.Columns.status == status.rawValue) }
        return try request.order(OutboxRecord.Columns.createdAt.desc, OutboxRecord.Columns.seq.desc)
            .limit(page.limit, offset: page.offset).fetchAll(db).map(\.message)
    }

    func count(status: OutboxStatus?) throws -> Int {
        var request = OutboxRecord.all()
        if let status { request = request.filter(OutboxRecord.Columns.status == status.rawValue) }
        return try request.fetchCount(db)
    }

    func record(_ attempt: OutboxAttempt, of message: OutboxMessage) throws {
        let record = OutboxRecord(message)
        guard let seq = record.seq else { throw DomainError.notFound("No outbox message \(message.id.lowercased)") }
        try record.update(db)
        try OutboxAttemptRecord(messageSeq: seq, number: attempt.number, at: attempt.at, outcome: attempt.outcome, error: attempt.error).save(db)
    }

    func attempts(of messageID: UUID) throws -> [OutboxAttempt] {
        try OutboxAttemptRecord.fetchAll(db, sql: """
            SELECT a.* FROM outbox_attempts AS a JOIN outbox AS o ON o.seq = a.message_seq WHERE o.id = ? ORDER BY a.number
            """, arguments: [messageID.lowercased]).map(\.attempt)
    }

    func counts(_ channel: OutboxChannel) throws -> OutboxCounts {
        let queued = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'queued' AND channel = ?", arguments: [channel.rawValue]) ?? 0
        let dead = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'dead' AND channel = ?", arguments: [channel.rawValue]) ?? 0
        return OutboxCounts(queued: queued, dead: dead)
    }

    func prune(sentBefore cutoff: Date, limit: Int) throws -> Int {
        try db.execute(sql: """
            DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE status = 'sent' AND sent_at < ? ORDER BY seq LIMIT ?)
            """, arguments: [cutoff.sqlText, limit])
        return db.changesCount
    }
}

struct SQLiteMailTemplateRepository: MailTemplateRepository {
    let db: Database

    func template(_ topic: MailTopic) throws -> MailTemplate? {
        try MailTemplateRecord.fetchOne(db, key: topic.rawValue)?.template
    }

    func customized() throws -> [MailTopic: (template: MailTemplate, updatedAt: Date)] {
        var result: [MailTopic: (template: MailTemplate, updatedAt: Date)] = [:]
        for record in try MailTemplateRecord.fetchAll(db) { result[record.topic] = (record.template, record.updatedAt) }
        return result
    }

    func save(_ template: MailTemplate, for topic: MailTopic, at timestamp: Date) throws {
        try MailTemplateRecord(topic: topic, subject: template.subject, textBody: template.text, htmlBody: template.html, updatedAt: timestamp).save(db)
    }

    func delete(_ topic: MailTopic) throws -> Bool {
        try MailTemplateRecord.deleteOne(db, key: topic.rawValue)
    }
}

struct SQLiteAccountTokenRepository: AccountTokenRepository {
    let db: Database

    func insert(_ token: AccountToken) throws {
        try AccountTokenRecord(token).insert(db)
    }

    func token(hash: String) throws -> AccountToken? {
        try AccountTokenRecord.fetchOne(db, key: hash)?.token
    }

    func markUsed(hash: String, at timestamp: Date) throws {
        guard var record = try AccountTokenRecord.fetchOne(db, key: hash) else { return }
        record.usedAt = timestamp
        try record.update(db)
    }

    func revokeAll(userID: UUID, purpose: AccountToken.Purpose, at timestamp: Date) throws {
        try AccountTokenRecord
            .filter(AccountTokenRecord.Columns.userID == userID.lowercased && AccountTokenRecord.Columns.purpose == purpose.rawValue
                && AccountTokenRecord.Columns.usedAt == nil)
            .updateAll(db, AccountTokenRecord.Columns.usedAt.set(to: timestamp.sqlText))
    }

    func count(userID: UUID, purpose: AccountToken.Purpose, since: Date) throws -> Int {
        try AccountTokenRecord
            .filter(AccountTokenRecord.Columns.userID == userID.lowercased && AccountTokenRecord.Columns.purpose == purpose.rawValue
                && AccountTokenRecord.Columns.createdAt >= since.sqlText)
            .fetchCount(db)
    }
}
