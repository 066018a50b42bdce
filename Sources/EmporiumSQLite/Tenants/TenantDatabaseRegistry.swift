import EmporiumSupport
import EmporiumCore
import EmporiumSchema
import Foundation
import GRDB
import Logging

/// Every shop's database file, opened lazily on first use and kept in a least-recently-used set of
/// at most `maxOpen` files, so thousands of shops fit in a bounded number of file descriptors.
///
/// A database is only used inside `withDatabase`, which holds a lease on it: an evicted file whose
/// lease is still held is closed when the last lease ends, never under a running query.
public actor TenantDatabaseRegistry: TenantDatabaseProvisioner {
    private final class Entry {
        let database: TenantDatabase
        var leases = 0
        var lastUse: UInt64 = 0

        init(_ database: TenantDatabase) { self.database = database }
    }

    private let directory: String
    private let archiveDirectory: String
    private let maxOpen: Int
    private let opener: DatabaseOpener
    private let logger: Logger
    private var entries: [UUID: Entry] = [:]
    /// Evicted files still leased by a running call; closed when their last lease ends.
    private var draining: [ObjectIdentifier: Entry] = [:]
    private var clock: UInt64 = 0
    private var closed = false
    /// Shops whose file is being swapped for a restored one: new uses wait outside (503).
    private var restoring: Set<UUID> = []
    /// Files being opened (and migrated) off the actor: later callers for the same shop wait for it.
    private var opening: [UUID: Task<TenantDatabase, any Error>] = [:]
    /// Evicted files being closed in the background, per shop (a restore waits for them).
    private var closing: [UUID: Int] = [:]
    /// Closes evicted files one at a time, away from the actor and Swift's task threads: a close
    /// checkpoints and fsyncs, and done inside the actor it held up every shop's requests.
    private static let closer = DispatchQueue(label: "emporium.tenant-close")
    /// Opens shop files away from Swift's task threads, first come first served, as many at once as
    /// there are cores: an open blocks on the file system for 5–10 ms (pool, schema check, identity),
    /// and Swift has one task thread per core, so two cold shops opening as tasks held up every
    /// other task of the process meanwhile.
    private static let openers: OperationQueue = {
        let queue = OperationQueue()
        queue.name = "emporium.tenant-open"
        queue.maxConcurrentOperationCount = max(2, ProcessInfo.processInfo.activeProcessorCount)
        return queue
    }()

    public init(config: AppConfig, logger: Logger = Logger(label: "emporium.tenants")) {
        self.directory = config.tenantsDirectory
        self.archiveDirectory = config.backupsDirectory + "/deleted"
        self.maxOpen = config.maxOpenTenants
        self.opener = DatabaseOpener(synchronous: config.dbSynchronous, autocheckpoint: false)
        self.logger = logger
    }

    /// Runs `body` with the shop's database, opening (and migrating) the file on first use.
    /// A shop whose file is missing answers `DomainError.unavailable`, it is never silently recreated.
    public nonisolated func withDatabase<T: Sendable>(
        _ tenantID: UUID, _ body: (TenantDatabase) async throws -> T
    ) async throws -> T {
        let database = try await acquire(tenantID)
        do {
            let result = try await body(database)
            await release(tenantID, database)
            return result
        } catch {
            await release(tenantID, database)
            throw error
        }
    }

    public func path(for tenantID: UUID) -> String {
        "\(directory)/\(tenantID.uuidString.lowercased()).sqlite"
    }

    public var openTenantIDs: [UUID] { Array(entries.keys) }

    /// How many shop files are open right now (health, metrics).
    public var openCount: Int { entries.count }
    /// Shop files closed to stay within `MAX_OPEN_TENANTS` since start (`tenants_evictions_total`).
    public private(set) var evictionCount = 0

    public func provision(tenantID: UUID) async throws {
        let path = path(for: tenantID)
        guard !FileManager.default.fileExists(atPath: path) else {
            throw DomainError.conflict("A database file for tenant \(tenantID) already exists")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        insert(try open(tenantID, path: path), for: tenantID)
    }

    public nonisolated func holdsAmounts(tenantID: UUID) async throws -> Bool {
        try await withDatabase(tenantID) { database in
            try await database.read { db in
                let priced = DiscountRecord.filter(Column("kind") == "fixed" || Column("minimum_subtotal_minor") > 0)
                return try !ProductVariantRecord.all().isEmpty(db) || !OrderRecord.all().isEmpty(db) || !ShippingZoneRecord.all().isEmpty(db)
                    || !priced.isEmpty(db)
            }
        }
    }

    /// Writes a compact, consistent copy of the shop's file to `backups/deleted/`, then closes and
    /// removes the live file with its WAL and shared-memory files.
    public func archive(tenantID: UUID, label: String) async throws -> String {
        let source = path(for: tenantID)
        try FileManager.default.createDirectory(atPath: archiveDirectory, withIntermediateDirectories: true)
        let stamp = Self.timestamp()
        let name = "\(label)-\(tenantID.uuidString.lowercased())-\(stamp).sqlite"
        let destination = "\(archiveDirectory)/\(name)"
        guard FileManager.default.fileExists(atPath: source) else {
            evict(tenantID)
            logger.warning("tenant file already missing when deleting", metadata: ["tenantId": "\(tenantID)"])
            return ""
        }
        let openEntry = entries[tenantID]
        let database = try openEntry?.database ?? open(tenantID, path: source)
        try await database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [destination])
        }
        if openEntry != nil {
            evict(tenantID)
        } else {
            closeQuietly(database)
        }
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: source + suffix)
        }
        return name
    }

    /// Copies the shop's database into `destination` with SQLite's online backup: a consistent
    /// snapshot of every committed transaction, taken while the shop keeps serving.
    public func backup(tenantID: UUID, to destination: String) async throws {
        try await withDatabase(tenantID) { database in
            let copy = try DatabaseQueue(path: destination)
            try database.pool.backup(to: copy)
            try copy.close()
        }
    }

    /// Swaps the shop's live file for `restored` (already verified): new uses are refused with 503
    /// meanwhile, running ones are waited for (up to `timeout`), the open file is closed, the live
    /// file is kept as `<file>.pre-restore-<time>`, and `restored` is renamed into its place
    /// (same folder, so the rename is atomic). The next use opens and, if needed, migrates it.
    public func replace(tenantID: UUID, with restored: String, timeout: Duration = .seconds(30)) async throws -> String {
        guard !restoring.contains(tenantID) else { throw DomainError.conflict("A restore of this shop is already running") }
        restoring.insert(tenantID)
        defer { restoring.remove(tenantID) }
        let deadline = ContinuousClock.now + timeout
        while (entries[tenantID]?.leases ?? 0) > 0 || draining.values.contains(where: { $0.database.tenantID == tenantID })
            || opening[tenantID] != nil || (closing[tenantID] ?? 0) > 0 {
            guard ContinuousClock.now < deadline else {
                throw DomainError.unavailable("The shop stayed busy; the restore was not applied")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        if let entry = entries.removeValue(forKey: tenantID) {
            closeQuietly(entry.database)
        }
        let live = path(for: tenantID)
        let kept = Self.unusedPath("\(live).pre-restore-\(Self.timestamp(milliseconds: true))")
        if FileManager.default.fileExists(atPath: live) {
            try FileManager.default.moveItem(atPath: live, toPath: kept)
        }
        for suffix in ["-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: live + suffix)
        }
        try FileManager.default.moveItem(atPath: restored, toPath: live)
        return kept
    }

    /// Runs a trivial query on the most recently used open shop file. Returns false when none is open.
    public func pingMostRecent() async throws -> Bool {
        guard let entry = entries.values.max(by: { $0.lastUse < $1.lastUse }) else { return false }
        _ = try await entry.database.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
        return true
    }

    /// Closes every open file (shutdown). Later `withDatabase` calls fail.
    public func closeAll() {
        closed = true
        for id in Array(entries.keys) {
            evict(id)
        }
    }

    // MARK: - Leases

    private func acquire(_ tenantID: UUID) async throws -> TenantDatabase {
        while true {
            guard !closed else { throw DomainError.unavailable("The server is shutting down") }
            guard !restoring.contains(tenantID) else { throw DomainError.unavailable("This shop is being restored from a backup; try again shortly") }
            clock += 1
            if let entry = entries[tenantID] {
                entry.leases += 1
                entry.lastUse = clock
                return entry.database
            }
            if let running = opening[tenantID] {
                // Someone else is opening this shop: use theirs (or, if it failed, try again ourselves).
                _ = try? await running.value
                // The opener records the file only when it runs on this actor again. Awaiting a task
                // that is done does not suspend, so without this wait a waiter that resumed first
                // would spin on the actor for ever and the opener would never run: every shop of the
                // process stuck (seen under concurrent first requests to a moved shop).
                if opening[tenantID] == running { try await Task.sleep(for: .milliseconds(1)) }
                continue
            }
            return try await openAndLease(tenantID)
        }
    }

    /// Opens the shop's file on an opener queue, so the actor keeps serving every other shop
    /// while this one opens and migrates (a cold open used to hold up every request of the process).
    private func openAndLease(_ tenantID: UUID) async throws -> TenantDatabase {
        let path = path(for: tenantID)
        guard FileManager.default.fileExists(atPath: path) else {
            logger.error("tenant database file is missing", metadata: ["tenantId": "\(tenantID)", "path": "\(path)"])
            throw DomainError.unavailable("This shop's data is not available")
        }
        let (opener, logger) = (self.opener, self.logger)
        let task = Task {
            try await withCheckedThrowingContinuation { continuation in
                Self.openers.addOperation { continuation.resume(with: Result { try Self.open(tenantID, path: path, opener: opener, logger: logger) }) }
            }
        }
        opening[tenantID] = task
        defer { opening[tenantID] = nil }
        let database = try await task.value
        guard !closed, !restoring.contains(tenantID) else {
            Self.closeQuietly(database, logger: logger)
            throw DomainError.unavailable(closed ? "The server is shutting down" : "This shop is being restored from a backup; try again shortly")
        }
        insert(database, for: tenantID, leases: 1)
        return database
    }

    private func release(_ tenantID: UUID, _ database: TenantDatabase) {
        if let entry = entries[tenantID], entry.database === database {
            entry.leases -= 1
        } else if let entry = draining[ObjectIdentifier(database)] {
            entry.leases -= 1
            if entry.leases == 0 {
                draining[ObjectIdentifier(database)] = nil
                closeInBackground(entry.database)
            }
        }
    }

    private func open(_ tenantID: UUID, path: String) throws -> TenantDatabase {
        try Self.open(tenantID, path: path, opener: opener, logger: logger)
    }

    private static func open(_ tenantID: UUID, path: String, opener: DatabaseOpener, logger: Logger) throws -> TenantDatabase {
        let pool: DatabasePool
        do {
            pool = try opener.open(path: path, migrations: SchemaMigrations.tenant)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            logger.error("tenant database file is damaged", metadata: ["tenantId": "\(tenantID)", "path": "\(path)", "error": "\(error)"])
            throw DomainError.unavailable("This shop's data is not available")
        }
        // Read first: only a file opened for the first time needs the write (and its lock). Read on
        // the writer, whose connection is open already: a reader would be a second connection to
        // open and parse the schema on, for a shop that may be closed again after one request.
        let owner = try pool.writeWithoutTransaction(ShopIdentity.owner) ?? pool.write { db in try ShopIdentity.claim(db, for: tenantID) }
        guard owner == tenantID else {
            try? pool.close()
            logger.error("tenant database file belongs to another shop",
                         metadata: ["tenantId": "\(tenantID)", "fileBelongsTo": "\(owner)", "path": "\(path)"])
            throw DomainError.unavailable("This shop's data is not available")
        }
        return TenantDatabase(tenantID: tenantID, path: path, pool: pool)
    }

    /// Adds a freshly opened file, already holding `leases`, so the eviction it may trigger never
    /// picks the file it just opened.
    private func insert(_ database: TenantDatabase, for tenantID: UUID, leases: Int = 0) {
        clock += 1
        let entry = Entry(database)
        entry.lastUse = clock
        entry.leases = leases
        entries[tenantID] = entry
        evictBeyondLimit()
    }

    /// Closes least-recently-used idle files until at most `maxOpen` remain. Files in use are
    /// skipped; the set may exceed the bound briefly while more than `maxOpen` shops are busy at once.
    private func evictBeyondLimit() {
        guard entries.count > maxOpen else { return }
        let idle = entries.filter { $0.value.leases == 0 }.sorted { $0.value.lastUse < $1.value.lastUse }
        for (id, _) in idle.prefix(entries.count - maxOpen) {
            evict(id, inBackground: true)
            evictionCount += 1
        }
    }

    /// Closes the shop's file now (shutdown, delete, restore: the caller then moves or removes the
    /// file) or, for the LRU, in the background.
    private func evict(_ tenantID: UUID, inBackground: Bool = false) {
        guard let entry = entries.removeValue(forKey: tenantID) else { return }
        if entry.leases > 0 {
            draining[ObjectIdentifier(entry.database)] = entry
        } else if inBackground {
            closeInBackground(entry.database)
        } else {
            closeQuietly(entry.database)
        }
    }

    private func closeInBackground(_ database: TenantDatabase) {
        let tenantID = database.tenantID, logger = self.logger
        closing[tenantID, default: 0] += 1
        Self.closer.async {
            Self.closeQuietly(database, logger: logger)
            Task { await self.closedInBackground(tenantID) }
        }
    }

    private func closedInBackground(_ tenantID: UUID) {
        let left = (closing[tenantID] ?? 1) - 1
        closing[tenantID] = left > 0 ? left : nil
    }

    private func closeQuietly(_ database: TenantDatabase) {
        Self.closeQuietly(database, logger: logger)
    }

    private static func closeQuietly(_ database: TenantDatabase, logger: Logger) {
        do {
            try database.close()
        } catch {
            logger.error("closing tenant database failed", metadata: ["tenantId": "\(database.tenantID)", "error": "\(error)"])
        }
    }

    /// Sortable UTC time for file names: `20261125T214500Z` (or with milliseconds, `….123Z`).
    /// `path`, or `path-2`, `path-3`, … if it is taken: two restores within one millisecond must not
    /// collide on the name of the file they keep (the second answered 500 before).
    static func unusedPath(_ path: String) -> String {
        var candidate = path
        var number = 1
        while FileManager.default.fileExists(atPath: candidate) {
            number += 1
            candidate = "\(path)-\(number)"
        }
        return candidate
    }

    /// `20261125T213000Z` (or `…00.123Z`): UTC, sortable, safe in file names.
    static func timestamp(_ date: Date = Date(), milliseconds: Bool = false) -> String {
        milliseconds ? UTCTime(date).compact : UTCTime(date).compactSeconds
    }

    /// The time a `timestamp(_:milliseconds: true)` stamp names, or nil for any other text.
    static func date(fromTimestamp stamp: String) -> Date? {
        UTCTime.date(compact: stamp)
    }
}
