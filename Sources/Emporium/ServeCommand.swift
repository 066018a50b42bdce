import ArgumentParser
import EmporiumCore
import EmporiumHTTP
import EmporiumObservability
import EmporiumSQLite
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP server (API, health) until SIGTERM or SIGINT."
    )

    @Flag(help: "Create the demo shop (subdomain 'demo') with a catalog on first start.")
    var demo = false

    func run() async throws {
        if demo, ProcessInfo.processInfo.environment["DEFAULT_TENANT"] == nil {
            // The demo shop answers on the bare address, so http://127.0.0.1:3000/ is its storefront.
            setenv("DEFAULT_TENANT", DemoShop.subdomain, 1)
        }
        if demo, (try? ConfigLoader.fromProcess().environmentName()) == .production {
            throw DomainError.forbidden("serve --demo creates a shop with a published owner password; it refuses to run with EMPORIUM_ENV=production")
        }
        let environment = try CommandEnvironment.open(serverLogs: true)
        // Whatever ends the server, the queued log lines are written and rotated files compressed.
        defer { environment.logOutput?.finish() }
        let config = environment.config
        let deps = environment.deps
        guard let lock = try DataDirectoryLock.acquire(in: config.dataDirectory) else {
            throw DomainError.conflict("Another emporium serve is running on \(config.dataDirectory)")
        }
        defer { withExtendedLifetime(lock) {} }
        deps.metrics.bootstrapMetricsSystem()
        if let newest = try await deps.backups.newestBackup() {
            deps.backups.status.succeeded(at: newest)
        }
        if demo {
            try await DemoShop.ensure(environment)
        }
        let notifier = SystemdNotifier()
        let tls = try config.tlsCertificateFile.map { try TLSCertificates(certificateFile: $0, keyFile: config.tlsKeyFile ?? "") }
        let scheme = tls == nil ? "http" : "https"
        let app = await buildApplication(deps, tls: tls) { port in
            notifier.ready()
            let host = config.host == "0.0.0.0" ? "127.0.0.1" : config.host
            Output.line("Emporium \(BuildInfo.version) listening on \(scheme)://\(host):\(port) (data: \(config.dataDirectory))")
            if demo {
                Output.line("Demo shop: curl -H 'X-Tenant-ID: demo' \(scheme)://\(host):\(port)/\(config.apiPrefix)/shop")
                Output.line("Demo owner: \(DemoShop.ownerEmail) / \(DemoShop.ownerPassword)  (sign in: POST /\(config.apiPrefix)/auth/login)")
            }
        } onMetricsRunning: { port in
            Output.line("Metrics on http://127.0.0.1:\(port)/metrics (loopback only)")
        }
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: app),
                .init(service: ReadinessShutdownService(readiness: deps.readiness, notifier: notifier)),
                .init(service: LogReopenService(output: environment.logOutput!, tls: tls, logger: deps.logger)),
            ] + (config.backupInterval.map { interval in
                [.init(service: BackupScheduleService(backups: deps.backups, interval: interval, logger: deps.logger,
                                                      shipping: config.backupShipTo.map { BackupShipping(source: config.backupsDirectory, destination: $0) }))]
            } ?? []) + (config.auditLogRetention.map { retention in
                [.init(service: AuditRetentionService(tenants: deps.tenants, privacy: deps.privacy, retention: retention, logger: deps.logger))]
            } ?? []),
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: deps.logger
        ))
        try await group.run()
        Output.line("Emporium stopped cleanly")
    }
}

/// The demo shop of `serve --demo`: created once, never overwritten.
enum DemoShop {
    static let subdomain = "demo"
    /// Demo-only credentials, printed on every start so a person can sign in. Never used outside `--demo`.
    static let ownerEmail = "owner@demo.example"
    static let ownerPassword = "demo-owner-pass"

    static func ensure(_ environment: CommandEnvironment) async throws {
        let tenants = environment.deps.tenants
        let tenant: Tenant
        if let existing = try await environment.backend.tenants.tenant(subdomain: subdomain) {
            tenant = existing
        } else {
            tenant = try await tenants.create(NewTenant(
                name: "Emporium Demo Shop", subdomain: subdomain, plan: "demo", settings: ["currency": .string("USD")]
            ))
            Output.line("Created the demo shop (tenant \(tenant.id.uuidString.lowercased()))")
        }
        let owner = try await environment.deps.backend.tenantStorage.read(tenant.id) { tx in try tx.users.user(email: ownerEmail) }
        if owner == nil {
            _ = try await environment.deps.users.create(
                in: tenant.id, .init(email: ownerEmail, password: ownerPassword, firstName: "Demo", lastName: "Owner", role: .owner),
                by: .commandLine
            )
            Output.line("Created the demo owner \(ownerEmail)")
        }
        let written = try await DemoCatalogSeeder(registry: environment.backend.registry).seed(tenantID: tenant.id)
        if written > 0 {
            Output.line("Seeded the demo catalog: \(DemoCatalog.categories.count) categories, \(written) products")
        }
        let orders = try await DemoHistory.seed(
            storage: environment.deps.backend.tenantStorage, tenantID: tenant.id, currency: tenant.currency,
            passwordHash: try await environment.deps.hasher.hash(DemoHistory.customerPassword), now: Date()
        )
        if try await DemoCheckout.seed(shipping: environment.deps.shipping, tax: environment.deps.tax, discounts: environment.deps.discounts,
                                       storage: environment.deps.backend.tenantStorage, tenantID: tenant.id, exponent: tenant.currencyExponent) {
            Output.line("Set up demo checkout: shipping to \(DemoCheckout.countries.joined(separator: ", ")), tax rates, coupon \(DemoCheckout.couponCode)")
        }
        if try await DemoShopFace.seed(pages: environment.deps.shopPages, settings: environment.deps.settings,
                                       storage: environment.deps.backend.tenantStorage, tenantID: tenant.id) {
            Output.line("Set up the demo shop's face: its description, accent colour and \(DemoShopFace.pages.count) footer pages")
        }
        if orders > 0 {
            Output.line("Seeded \(DemoHistory.days) days of demo orders: \(orders) orders (customers: customer1@demo.example … / \(DemoHistory.customerPassword))")
        }
    }
}
