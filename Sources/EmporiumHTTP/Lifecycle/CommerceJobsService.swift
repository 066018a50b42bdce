import EmporiumCore
import Foundation
import Logging
import ServiceLifecycle

/// Background work of the commerce features, in one loop: flushes batched product views every
/// `viewFlushInterval`, and every `sweepInterval` cancels unpaid orders older than
/// `ORDER_RESERVATION_TTL` in the shops that are open, calling off the Stripe payments they had
/// started (a shop that is not open has no requests
/// waiting on its stock; `OrderService.place` also expires stale reservations before reserving).
/// On shutdown it flushes the views one last time. Added before the HTTP server, so it stops after it.
struct CommerceJobsService: Service {
    let backend: any StorageBackend
    let catalog: CatalogService
    let orders: OrderService
    let payments: PaymentService
    let logger: Logger
    var viewFlushInterval: Duration = .seconds(5)
    var sweepInterval: Duration = .seconds(60)

    func run() async throws {
        var sinceSweep: Duration = .zero
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let interval = viewFlushInterval
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            await catalog.flushViews()
            sinceSweep += viewFlushInterval
            if sinceSweep >= sweepInterval {
                sinceSweep = .zero
                await sweep()
            }
        }
        await catalog.flushViews()
    }

    private func sweep() async {
        for tenant in await backend.openTenantIDs() {
            do {
                let expired = try await payments.expireUnpaid(in: tenant, orders: orders)
                if expired > 0 {
                    logger.info("expired unpaid orders", metadata: ["tenantId": "\(tenant.lowercased)", "count": "\(expired)"])
                }
            } catch {
                logger.warning("reservation sweep failed", metadata: ["tenantId": "\(tenant.lowercased)", "error": "\(error)"])
            }
        }
    }
}
