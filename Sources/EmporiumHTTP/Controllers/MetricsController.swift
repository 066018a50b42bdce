import Crypto
import EmporiumCore
import EmporiumObservability
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /metrics`: the Prometheus text exposition (DESIGN.md §8). With `METRICS_TOKEN` set it
/// answers only `Authorization: Bearer <token>`; without, anyone who reaches the port can read it
/// (bind to localhost or firewall it).
struct MetricsController {
    let deps: AppDependencies
    /// Low-stock products reported per open shop, and in total: bounds the series a scrape can add.
    static let lowStockPerShop = 50
    static let lowStockTotal = 500

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("metrics", use: metrics)
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = deps.config.metricsToken {
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
        snapshot.activeUsers = deps.activeUsers.counts()
        snapshot.lastBackupSuccess = deps.backups.status.lastSuccess?.timeIntervalSince1970
        for tenantID in open where snapshot.lowStock.count < Self.lowStockTotal {
            let products = (try? await backend.tenantStorage.read(tenantID) { tx in
                try tx.catalog.lowStockProducts(limit: Self.lowStockPerShop)
            }) ?? []
            snapshot.lowStock += products.prefix(Self.lowStockTotal - snapshot.lowStock.count).map { product in
                .init(tenantID: tenantID.lowercased, productID: product.id.lowercased, name: product.name, sku: product.sku,
                      available: product.stock - product.reserved)
            }
        }
        return snapshot
    }

    static func constantTimeEqual(_ presented: String, _ expected: String) -> Bool {
        Data(SHA256.hash(data: Data(presented.utf8))) == Data(SHA256.hash(data: Data(expected.utf8)))
    }
}
