import Crypto
import EmporiumCore
import EmporiumObservability
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /metrics`: the Prometheus text exposition (DESIGN.md §8). It names every open shop, its
/// low-stock products and SKUs, so it is never public by default in production: with
/// `METRICS_TOKEN` set it answers only `Authorization: Bearer <token>`; without one, the main
/// listener refuses it in production (403) and it is served on the `METRICS_PORT` loopback listener.
struct MetricsController {
    let deps: AppDependencies
    /// True on the `METRICS_PORT` listener, which binds 127.0.0.1 only.
    var loopbackListener = false
    /// Low-stock products reported per open shop, and in total: bounds the series a scrape can add.
    static let lowStockPerShop = 50
    static let lowStockTotal = 500

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("metrics", use: metrics)
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        if deps.config.metricsToken == nil, deps.config.environment == .production, !loopbackListener {
            throw DomainError.forbidden("/metrics needs METRICS_TOKEN in production, or scrape the METRICS_PORT listener on 127.0.0.1")
        }
        if let token = deps.config.metricsToken, !loopbackListener {
            let presented = request.headers[.authorization].flatMap { header in
                header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)) : nil
            } ?? ""
            guard Self.constantTimeEqual(presented, token) else {
                throw DomainError.unauthorized("/metrics needs the METRICS_TOKEN as a bearer token")
            }
        }
        let text = deps.metrics.exposition(await snapshot())
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func snapshot() async -> ScrapeSnapshot {
        let backend = deps.backend
        var snapshot = ScrapeSnapshot()
        let open = await backend.openTenantIDs()
        snapshot.tenantsOpen = open.count
        snapshot.tenantsOpenLimit = deps.config.maxOpenTenants
        snapshot.tenantEvictions = await backend.tenantEvictions()
        snapshot.tenantsRegistered = (try? await backend.tenants.count(status: nil)) ?? 0
        snapshot.systemDatabaseConnections = (try? await backend.pingSystemDatabase()) != nil ? 1 : 0
        snapshot.tenantDatabaseConnections = open.count
        let cache = deps.cache.statistics()
        (snapshot.cacheEntries, snapshot.cacheBytes, snapshot.cacheHits, snapshot.cacheMisses) = cache
        (snapshot.databaseCommits, snapshot.databasePagesWritten) = StorageWriteCounters.totals()
        snapshot.activeUsers = deps.activeUsers.counts()
        snapshot.lastBackupSuccess = deps.backups.status.lastSuccess?.timeIntervalSince1970
        for tenantID in open where snapshot.lowStock.count < Self.lowStockTotal {
            let variants = (try? await backend.tenantStorage.read(tenantID) { tx in
                try tx.catalog.lowStockVariants(limit: Self.lowStockPerShop)
            }) ?? []
            snapshot.lowStock += variants.prefix(Self.lowStockTotal - snapshot.lowStock.count).map { variant in
                .init(tenantID: tenantID.lowercased, productID: variant.productID.lowercased, name: variant.name, sku: variant.sku,
                      available: variant.available)
            }
        }
        return snapshot
    }

    static func constantTimeEqual(_ presented: String, _ expected: String) -> Bool {
        Data(SHA256.hash(data: Data(presented.utf8))) == Data(SHA256.hash(data: Data(expected.utf8)))
    }
}
