import EmporiumCore
import EmporiumObservability
import Foundation
import Logging
import ServiceLifecycle

/// The outbox's delivery worker: outside every request, it sends each shop's due messages
/// (`OutboxDelivery`). At start and every ten minutes it visits every shop, so messages committed
/// before a restart or waiting in a shop nobody has opened since are found; in between it visits
/// the open shops every `interval`, which is where new messages appear. It also keeps the backlog
/// gauges, checks the open shops for the staff's low-stock digest every five minutes, and forgets
/// sent messages after `retention`. On shutdown it calls off the message in hand, which stays queued.
struct OutboxDeliveryService: Service {
    let backend: any StorageBackend
    let tenants: TenantService
    /// nil when `MAIL_URL` is unset: nothing is sent and messages stay queued.
    let delivery: OutboxDelivery?
    let metrics: EmporiumMetrics
    /// The transport's name for the metrics (`none` without `MAIL_URL`).
    let transportName: String
    let logger: Logger
    var interval: Duration = .seconds(1)
    var fullSweepEvery = 600
    /// Ticks between two low-stock digests' checks of the open shops.
    var lowStockEvery = 300
    var retention: TimeInterval = 30 * 86_400
    let now: @Sendable () -> Date

    func run() async throws {
        metrics.outboxStarted(channel: OutboxChannel.mail.rawValue, transport: transportName)
        var tick = 0
        var backlog: [UUID: OutboxCounts] = [:]
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let everyShop = tick % fullSweepEvery == 0
            let shops: [UUID]
            if everyShop {
                shops = (try? await tenants.all().map(\.id)) ?? []
            } else {
                shops = await backend.openTenantIDs()
            }
            for shop in shops where !Task.isShuttingDownGracefully {
                await visit(shop, countBacklog: everyShop || tick % 30 == 0, lowStock: !everyShop && tick % lowStockEvery == 0,
                            pruneSent: tick % 3_600 == 0, backlog: &backlog)
            }
            if everyShop || tick % 30 == 0 {
                metrics.outboxBacklog(channel: OutboxChannel.mail.rawValue, queued: backlog.values.reduce(0) { $0 + $1.queued },
                                      dead: backlog.values.reduce(0) { $0 + $1.dead })
            }
            tick += 1
            do {
                let wait = interval
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            } catch {
                return
            }
        }
    }

    private func visit(_ shop: UUID, countBacklog: Bool, lowStock: Bool, pruneSent: Bool, backlog: inout [UUID: OutboxCounts]) async {
        do {
            if lowStock {
                let timestamp = now()
                _ = try await backend.tenantStorage.write(shop) { tx in try LowStockDigest.run(tx, at: timestamp) }
            }
            if let delivery {
                // A send in flight when the server stops is called off (a dead SMTP server holds it up
                // to its deadline): the message stays queued and goes after the restart.
                let pass = try await cancelWhenGracefulShutdown { try await delivery.run(shop: shop) }
                if pass.failed + pass.dead > 0 {
                    logger.warning("mail delivery failed", metadata: [
                        "tenantId": "\(shop.lowercased)", "sent": "\(pass.sent)", "failed": "\(pass.failed)", "dead": "\(pass.dead)",
                    ])
                }
            }
            if countBacklog {
                backlog[shop] = try await backend.tenantStorage.read(shop) { tx in try tx.outbox.counts(.mail) }
            }
            if pruneSent {
                let cutoff = now().addingTimeInterval(-retention)
                _ = try await backend.tenantStorage.write(shop) { tx in try tx.outbox.prune(sentBefore: cutoff, limit: 10_000) }
            }
        } catch {
            logger.warning("outbox pass failed", metadata: ["tenantId": "\(shop.lowercased)", "error": "\(error)"])
        }
    }
}
