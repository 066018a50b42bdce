import Foundation

/// Values read at the moment `/metrics` is scraped, written in the Prometheus text format.
public struct ScrapeSnapshot: Sendable {
    /// A product whose available stock (stock − reserved) is under the low-stock threshold.
    public struct LowStock: Sendable {
        public let tenantID: String
        public let productID: String
        public let name: String
        public let sku: String
        public let available: Int

        public init(tenantID: String, productID: String, name: String, sku: String, available: Int) {
            self.tenantID = tenantID
            self.productID = productID
            self.name = name
            self.sku = sku
            self.available = available
        }
    }

    public var tenantsOpen = 0
    public var tenantsOpenLimit = 0
    public var tenantEvictions = 0
    public var tenantsRegistered = 0
    /// Open database handles that answered a ping: the system database (0 or 1) and open shop files.
    public var systemDatabaseConnections = 0
    public var tenantDatabaseConnections = 0
    public var cacheHits = 0
    public var cacheMisses = 0
    public var cacheEntries = 0
    public var cacheBytes = 0
    /// `StorageWriteCounters`: commits of the shops' writers and the pages they wrote, since start.
    public var databaseCommits: Int64 = 0
    public var databasePagesWritten: Int64 = 0
    /// Signed-in users seen in the last `ActiveUsers.window`, per shop.
    public var activeUsers: [String: Int] = [:]
    public var lowStock: [LowStock] = []
    /// Unix time of the last successful backup, if any was taken by this process or found on disk.
    public var lastBackupSuccess: Double?
    public var process = ProcessFigures.current()

    public init() {}

    func text(tenantLabels: Bool) -> String {
        var out = PrometheusText()
        out.family("tenants_open", "gauge", "Shop databases open in the LRU right now.", [([], Double(tenantsOpen))])
        out.family("tenants_open_limit", "gauge", "MAX_OPEN_TENANTS: the most shop databases kept open at once.", [([], Double(tenantsOpenLimit))])
        out.family("tenants_evictions_total", "counter", "Shop databases closed to stay within MAX_OPEN_TENANTS.", [([], Double(tenantEvictions))])
        out.family("tenants_registered", "gauge", "Shops known to the system database (any status).", [([], Double(tenantsRegistered))])
        out.family("database_connections_active", "gauge",
                   "Open database handles that answered a ping: database=system (0 or 1) and database=tenants (open shop files).",
                   [([("database", "system")], Double(systemDatabaseConnections)), ([("database", "tenants")], Double(tenantDatabaseConnections))])
        out.family("cache_hits_total", "counter", "In-memory cache lookups that found a fresh entry.", [([], Double(cacheHits))])
        out.family("cache_misses_total", "counter", "In-memory cache lookups that found nothing or a stale entry.", [([], Double(cacheMisses))])
        out.family("cache_entries", "gauge", "Entries in the in-memory cache.", [([], Double(cacheEntries))])
        out.family("cache_bytes", "gauge", "Estimated bytes held by the in-memory cache.", [([], Double(cacheBytes))])
        out.family("db_commits_total", "counter", "Commits of the shops' writers (one may hold many orders: group commit).",
                   [([], Double(databaseCommits))])
        out.family("db_pages_written_total", "counter", "Database pages the shops' writers wrote (SQLITE_DBSTATUS_CACHE_WRITE).",
                   [([], Double(databasePagesWritten))])

        let users: [([(String, String)], Double)] = tenantLabels
            ? activeUsers.sorted { $0.key < $1.key }.map { ([("tenant_id", $0.key)], Double($0.value)) }
            : [([], Double(activeUsers.values.reduce(0, +)))]
        out.family("active_users_current", "gauge", "Signed-in users who made a request in the last 15 minutes.", users)
        out.family("product_stock_quantity", "gauge", "Available stock (stock minus reserved) of active products under the low-stock threshold.",
                   lowStock.map { item in
                       ((tenantLabels ? [("tenant_id", item.tenantID)] : []) + [("product_id", item.productID), ("product_name", item.name), ("sku", item.sku)],
                        Double(item.available))
                   })
        if let lastBackupSuccess {
            out.family("backup_last_success_timestamp_seconds", "gauge", "Unix time of the newest successful backup.", [([], lastBackupSuccess)])
        }
        process.write(into: &out)
        return out.text
    }
}

/// Writes metric families in the Prometheus text exposition format (version 0.0.4).
struct PrometheusText {
    private(set) var text = ""

    mutating func family(_ name: String, _ type: String, _ help: String, _ samples: [([(String, String)], Double)]) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        for (labels, value) in samples {
            text += name
            if !labels.isEmpty {
                text += "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
            }
            text += " \(Self.format(value))\n"
        }
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
