import EmporiumCore
import Foundation
import Logging
import ServiceLifecycle

/// `AUDIT_LOG_RETENTION`: deletes audit rows older than the retention from every shop, once at
/// start and then every quarter of the retention (at most daily), so a row outlives it by at most
/// that. Failures are logged per shop and retried on the next round.
public struct AuditRetentionService: Service {
    let tenants: TenantService
    let privacy: PersonalDataService
    let retention: TimeInterval
    let logger: Logger

    public init(tenants: TenantService, privacy: PersonalDataService, retention: TimeInterval, logger: Logger) {
        self.tenants = tenants
        self.privacy = privacy
        self.retention = retention
        self.logger = logger
    }

    var interval: TimeInterval { min(max(retention / 4, 1), 86_400) }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await pruneEveryShop()
            do {
                let seconds = interval
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(seconds)) }
            } catch {
                return
            }
        }
    }

    func pruneEveryShop() async {
        let shops: [Tenant]
        do {
            shops = try await tenants.all()
        } catch {
            logger.error("Audit retention could not list the shops", metadata: ["error": "\(error)"])
            return
        }
        var deleted = 0
        for shop in shops where !Task.isShuttingDownGracefully {
            do {
                deleted += try await privacy.pruneAuditLog(in: shop.id, retention: retention)
            } catch {
                logger.error("Audit retention failed", metadata: ["subdomain": "\(shop.subdomain)", "error": "\(error)"])
            }
        }
        if deleted > 0 {
            logger.info("Deleted audit rows past retention", metadata: ["rows": "\(deleted)", "shops": "\(shops.count)"])
        }
    }
}
