import EmporiumCore
import EmporiumObservability
import Foundation
import Hummingbird
import Logging
import NIOCore

/// What the application is built from: the configuration and the storage behind it. The command
/// line and the tests build exactly the same thing from this.
public struct AppDependencies: Sendable {
    public let config: AppConfig
    public let backend: any StorageBackend
    public let hasher: any PasswordHasher
    public let readiness: Readiness
    public let directory: TenantDirectory
    public let tenants: TenantService
    public let operators: OperatorService
    public let logger: Logger

    public init(config: AppConfig, backend: any StorageBackend, logger: Logger = Logger(label: "emporium")) {
        self.config = config
        self.backend = backend
        self.hasher = BcryptPasswordHasher(cost: config.bcryptCost)
        self.readiness = Readiness()
        self.directory = TenantDirectory(store: backend.tenants)
        self.tenants = TenantService(store: backend.tenants, provisioner: backend.provisioner, directory: directory)
        self.operators = OperatorService(store: backend.operators, hasher: hasher)
        self.logger = logger
    }

    /// The checks behind `/health`: the system database, the shop databases and the in-memory cache.
    var healthChecks: [HealthCheck] {
        let backend = self.backend
        let directory = self.directory
        return [
            HealthCheck(name: "system-database", databaseKey: "system") { try await backend.pingSystemDatabase() },
            HealthCheck(name: "tenant-databases", databaseKey: "tenants") { try await backend.pingTenantDatabases() },
            HealthCheck(name: "cache") {
                // A lookup that must not fail: proves the tenant cache actor is responsive.
                _ = await directory.statistics()
            },
        ]
    }
}

/// Builds the router with every middleware and route. Returns the route catalog too, which the
/// OpenAPI test compares with the document.
public func buildRouter(_ deps: AppDependencies) async -> (router: Router<AppRequestContext>, routes: RouteCatalog) {
    let config = deps.config
    let catalog = RouteCatalog()
    let router = Router(context: AppRequestContext.self)
    // Order matters: the correlation id wraps everything, errors are mapped inside it.
    router.add(middleware: CorrelationMiddleware())
    router.add(middleware: ErrorMiddleware(routes: catalog))
    router.add(middleware: BodyLimitMiddleware(limit: config.maxBodyBytes))

    HealthController(reporter: HealthReporter(checks: deps.healthChecks), readiness: deps.readiness).addRoutes(to: router)

    let api = router.group(RouterPath(config.apiPrefix))
    OpenAPIController().addRoutes(to: api)

    let platform = api.group("platform")
    let tokens = await PlatformTokens(jwtSecret: config.jwtSecret)
    PlatformAuthController(operators: deps.operators, tokens: tokens).addRoutes(to: platform)
    PlatformTenantController(tenants: deps.tenants).addRoutes(
        to: platform.add(middleware: OperatorAuthMiddleware(tokens: tokens)).group(context: PlatformRequestContext.self)
    )

    let shop = api.group().add(middleware: TenantMiddleware(directory: deps.directory, baseDomain: config.baseDomain))
        .group(context: TenantRequestContext.self)
    ShopController().addRoutes(to: shop)

    catalog.load(router.routes)
    return (router, catalog)
}

/// Builds the whole application as production runs it. `onServerRunning` receives the bound port
/// (useful with `PORT=0`).
public func buildApplication(
    _ deps: AppDependencies, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async -> some ApplicationProtocol {
    let (router, _) = await buildRouter(deps)
    deps.readiness.markMigrated()
    return Application(
        router: router,
        configuration: .init(address: .hostname(deps.config.host, port: deps.config.port), serverName: "emporium"),
        services: [StorageShutdownService(backend: deps.backend)],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? deps.config.port) },
        logger: deps.logger
    )
}
