import EmporiumCore
import EmporiumImaging
import EmporiumMail
import EmporiumObservability
import Foundation
import Hummingbird
import Logging
import HTTPTypes
import NIOCore
import ServiceLifecycle

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
    public let accounts: AccountService
    public let users: UserService
    public let twoFactor: TwoFactorService
    public let settings: SettingsService
    /// The shop's own pages and face (description, accent colour).
    public let shopPages: ShopPageService
    public let audit: AuditService
    public let privacy: PersonalDataService
    public let cache: MemoryCache
    public let catalog: CatalogService
    public let images: ProductImageService
    public let carts: CartService
    public let orders: OrderService
    public let checkout: CheckoutService
    public let addresses: AddressBookService
    public let shipping: ShippingService
    public let tax: TaxService
    public let discounts: DiscountService
    public let analytics: AnalyticsService
    public let payments: PaymentService
    /// The clock every rule that depends on time reads (tokens, lockout, rate limits): injectable in tests.
    public let now: @Sendable () -> Date
    public let logger: Logger
    public let metrics: EmporiumMetrics
    public let activeUsers: ActiveUsers
    public let backups: BackupService
    /// Shops whose writes are held back while they move to another node (`fleet move`).
    public let writeFreeze: ShopWriteFreeze
    public let recovery: AccountRecoveryService
    public let mail: MailService
    /// The box's mail transport (`MAIL_URL`), nil when mail is off.
    public let mailTransport: (any MailTransport)?

    /// `paymentTransport`: how provider requests are sent (`ProviderHTTPClient` unless a test says otherwise);
    /// `imageProcessor`: how uploads are decoded and resized (libvips unless a test says otherwise).
    public init(config: AppConfig, backend: any StorageBackend, logger: Logger = Logger(label: "emporium"),
                paymentTransport: (any PaymentHTTPTransport)? = nil, imageProcessor: (any ImageProcessor)? = nil,
                mailTransport: (any MailTransport)? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.config = config
        self.backend = backend
        self.now = now
        self.hasher = BcryptPasswordHasher(cost: config.bcryptCost)
        self.readiness = Readiness()
        self.directory = TenantDirectory(store: backend.tenants)
        self.tenants = TenantService(store: backend.tenants, provisioner: backend.provisioner, directory: directory, now: now)
        let throttle = LoginThrottle(maxAttempts: config.loginMaxAttempts, lockDuration: TimeInterval(config.loginLockMinutes * 60))
        let box = SecretBox(encryptionKey: config.encryptionKey, previous: config.previousEncryptionKey, now: now)
        let codes = TwoFactorCodes(box: box, throttle: throttle, now: now)
        self.operators = OperatorService(store: backend.operators, hasher: hasher, throttle: throttle, twoFactor: codes, now: now)
        self.accounts = AccountService(
            storage: backend.tenantStorage, hasher: hasher, throttle: throttle, refreshTokens: RefreshTokens(secret: config.jwtRefreshSecret),
            refreshLifetime: config.jwtRefreshExpiresIn, twoFactor: codes, box: box, now: now
        )
        self.recovery = AccountRecoveryService(storage: backend.tenantStorage, hasher: hasher, box: box, now: now)
        self.twoFactor = TwoFactorService(storage: backend.tenantStorage, hasher: hasher, codes: codes, now: now)
        self.users = UserService(storage: backend.tenantStorage, hasher: hasher, now: now)
        self.audit = AuditService(storage: backend.tenantStorage)
        self.cache = MemoryCache(now: now)
        self.privacy = PersonalDataService(storage: backend.tenantStorage, cache: cache, now: now)
        self.settings = SettingsService(storage: backend.tenantStorage, box: box, cache: cache, now: now)
        self.shopPages = ShopPageService(storage: backend.tenantStorage, cache: cache, now: now)
        self.catalog = CatalogService(storage: backend.tenantStorage, cache: cache, views: ViewCounter(), now: now)
        self.images = ProductImageService(storage: backend.tenantStorage, cache: cache, processor: imageProcessor ?? VipsImageProcessor(),
                                          rules: ImageRules(maxBytes: config.imageMaxBytes), now: now)
        self.carts = CartService(storage: backend.tenantStorage, now: now)
        self.orders = OrderService(storage: backend.tenantStorage, cache: cache, reservationTTL: config.orderReservationTTL, now: now)
        self.checkout = CheckoutService(storage: backend.tenantStorage, cache: cache, now: now)
        self.addresses = AddressBookService(storage: backend.tenantStorage, now: now)
        self.shipping = ShippingService(storage: backend.tenantStorage, cache: cache, now: now)
        self.tax = TaxService(storage: backend.tenantStorage, cache: cache, now: now)
        self.discounts = DiscountService(storage: backend.tenantStorage, now: now)
        self.analytics = AnalyticsService(storage: backend.tenantStorage, cache: cache, now: now)
        self.payments = PaymentService(storage: backend.tenantStorage, box: box, cache: cache, transport: paymentTransport ?? ProviderHTTPClient(),
                                       stripeBaseURL: config.stripeAPIURL, now: now)
        self.logger = logger
        self.metrics = EmporiumMetrics(tenantLabels: config.metricsTenantLabels)
        self.activeUsers = ActiveUsers(now: now)
        self.backups = BackupService(tenants: tenants, store: backend.backups, cache: cache, status: BackupStatus(), now: now)
        self.writeFreeze = ShopWriteFreeze(now: now)
        let transport = mailTransport ?? MailTransports.make(config.mailURL, from: config.mailFrom)
        self.mailTransport = transport
        let directory = self.directory
        let baseDomain = config.baseDomain, publicURL = config.publicURL
        let identity: @Sendable (UUID) async throws -> ShopMailIdentity = { id in
            guard let tenant = try await directory.resolve(reference: id.lowercased) else { throw DomainError.tenantNotFound }
            return ShopMailIdentity(name: tenant.name, baseURL: MailService.baseURL(of: tenant, baseDomain: baseDomain, publicURL: publicURL),
                                    subdomain: tenant.subdomain)
        }
        let sender = transport.map {
            MailSender(storage: backend.tenantStorage, transport: $0, from: config.mailFrom ?? MailAddress(address: "noreply@localhost"), box: box,
                       identity: identity, now: now)
        }
        self.mail = MailService(storage: backend.tenantStorage, sender: sender, box: box, identity: identity,
                                schedule: RetrySchedule(firstDelay: config.mailRetryFirstDelay), now: now)
    }

    /// The checks behind `/health`: the system database, the shop databases and the in-memory cache.
    var healthChecks: [HealthCheck] {
        let backend = self.backend
        let cache = self.cache
        return [
            HealthCheck(name: "system-database", databaseKey: "system") { try await backend.pingSystemDatabase() },
            HealthCheck(name: "tenant-databases", databaseKey: "tenants") { try await backend.pingTenantDatabases() },
            HealthCheck(name: "cache") {
                // A round trip through the in-memory cache under a namespace no shop can have.
                let probe = UUID()
                cache.store(probe, cost: 16, tenant: HealthProbe.namespace, key: "probe")
                guard cache.value(UUID.self, tenant: HealthProbe.namespace, key: "probe") == probe else { throw HealthProbe.Failure() }
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
    // Order matters: the correlation id, the client's address, the request line and metrics,
    // security headers and CORS wrap everything (error answers included); errors are mapped inside them.
    router.add(middleware: CorrelationMiddleware())
    router.add(middleware: ClientAddressMiddleware(trustedProxies: config.trustedProxies))
    router.add(middleware: RequestTelemetryMiddleware(metrics: deps.metrics))
    router.add(middleware: SecurityHeadersMiddleware(hsts: config.hsts, apiPrefix: config.apiPrefix))
    if !config.corsOrigins.isEmpty {
        router.add(middleware: CORSPolicyMiddleware(origins: Set(config.corsOrigins)))
    }
    router.add(middleware: ErrorMiddleware(routes: catalog))
    router.add(middleware: BodyLimitMiddleware(limit: config.maxBodyBytes, imageLimit: config.imageMaxBytes, apiPrefix: config.apiPrefix))
    router.add(middleware: QueryBudgetMiddleware(milliseconds: config.queryBudgetMs))
    let authLimiter = RateLimiter(limit: config.rateLimitMaxRequests, window: Double(config.rateLimitWindowMs) / 1000, now: deps.now)
    let tenantLimiter = RateLimiter(limit: config.tenantRateLimitMaxRequests, window: Double(config.tenantRateLimitWindowMs) / 1000, now: deps.now)
    let clientWindow = Double(config.clientRateLimitWindowMs) / 1000
    let clientLimiter = RateLimiter(limit: config.clientRateLimitMaxRequests, window: clientWindow, now: deps.now)
    let userLimiter = RateLimiter(limit: config.userRateLimitMaxRequests, window: clientWindow, now: deps.now)
    let perClient: @Sendable (Request, AppRequestContext) -> String = { _, context in context.clientIP ?? "unknown" }

    let notices = deps.mailTransport == nil ? ["mail": "not configured: MAIL_URL is unset, so messages wait in each shop's outbox"] : [:]
    HealthController(reporter: HealthReporter(checks: deps.healthChecks, notices: notices), readiness: deps.readiness).addRoutes(to: router)
    MetricsController(deps: deps).addRoutes(to: router)
    let assets = WebAssets.embedded
    WebController(assets: assets).addRoutes(to: router)
    let pages = StorefrontPages(templates: .embedded, catalog: deps.catalog, shopPages: deps.shopPages, cache: deps.cache, apiPrefix: config.apiPrefix,
                                baseDomain: config.baseDomain, publicURL: config.publicURL,
                                stylesheet: assets.addresses["app.css"]!, script: assets.addresses["storefront.js"]!)
    let storefront = router.group().add(middleware: StorefrontErrorMiddleware(pages: pages))
        .add(middleware: RateLimitMiddleware(limiter: clientLimiter, key: perClient))
        .add(middleware: TenantMiddleware(directory: deps.directory, baseDomain: config.baseDomain, defaultTenant: config.defaultTenant))
        .add(middleware: RateLimitMiddleware(limiter: tenantLimiter) { _, context in context.tenant?.id.lowercased ?? "none" })
    StorefrontController(pages: pages).addRoutes(to: storefront)

    // Each client address spends its own budget first, so one noisy client is stopped before it
    // spends the shop's (or the sign-in) budget that every other client shares.
    let api = router.group(RouterPath(config.apiPrefix)).add(middleware: RateLimitMiddleware(limiter: clientLimiter, key: perClient))
    OpenAPIController().addRoutes(to: api)
    MediaController(images: deps.images, directory: deps.directory).addRoutes(to: api)

    let platform = api.group("platform")
    let tokens = await PlatformTokens(jwtSecret: config.jwtSecret, previous: config.previousJWTSecret, now: deps.now)
    PlatformAuthController(operators: deps.operators, tokens: tokens).addRoutes(
        to: platform.group().add(middleware: RateLimitMiddleware(limiter: authLimiter, key: perClient))
    )
    let operatorRoutes = platform.add(middleware: OperatorAuthMiddleware(tokens: tokens)).group(context: PlatformRequestContext.self)
    PlatformTenantController(tenants: deps.tenants).addRoutes(to: operatorRoutes)
    PlatformNodeController(tenants: deps.tenants, dataDirectory: config.dataDirectory).addRoutes(to: operatorRoutes)
    PlatformTwoFactorController(operators: deps.operators).addRoutes(to: operatorRoutes.group("auth/2fa"))
    PlatformBackupController(backups: deps.backups, backupsDirectory: config.backupsDirectory,
                             privateFolders: [config.dataDirectory, config.logDirectory]).addRoutes(to: operatorRoutes)
    PlatformShopMoveController(tenants: deps.tenants, backups: deps.backups, freeze: deps.writeFreeze, backupsDirectory: config.backupsDirectory,
                               dataDirectory: config.dataDirectory).addRoutes(to: operatorRoutes)

    let accessTokens = await AccessTokens(secret: config.jwtSecret, previous: config.previousJWTSecret, lifetime: config.jwtExpiresIn, now: deps.now)
    let shop = api.group().add(middleware: TenantMiddleware(directory: deps.directory, baseDomain: config.baseDomain, defaultTenant: config.defaultTenant))
        .add(middleware: WriteFreezeMiddleware(freeze: deps.writeFreeze))
        .add(middleware: RateLimitMiddleware(limiter: tenantLimiter) { _, context in context.tenant?.id.lowercased ?? "none" })
        .group(context: TenantRequestContext.self)
        .add(middleware: TenantAuthMiddleware(tokens: accessTokens, accounts: deps.accounts, activeUsers: deps.activeUsers))
        .add(middleware: UserRateLimitMiddleware(limiter: userLimiter))
    ShopController(payments: deps.payments, shopPages: deps.shopPages).addRoutes(to: shop)
    ShopPageController(shopPages: deps.shopPages).addRoutes(to: shop.group("pages"))
    let auth = shop.group("auth").add(middleware: RateLimitMiddleware(limiter: authLimiter) { _, context in context.clientIP ?? "unknown" })
    AuthController(accounts: deps.accounts, privacy: deps.privacy, tokens: accessTokens).addRoutes(to: auth)
    TwoFactorController(twoFactor: deps.twoFactor).addRoutes(to: auth.group("2fa"))
    AccountRecoveryController(recovery: deps.recovery, storage: deps.backend.tenantStorage, now: deps.now).addRoutes(to: auth)
    UserController(users: deps.users, privacy: deps.privacy, twoFactor: deps.twoFactor).addRoutes(to: shop.group("users"))
    AuditController(audit: deps.audit).addRoutes(to: shop)
    SettingsController(settings: deps.settings).addRoutes(to: shop.group("settings"))
    CatalogController(catalog: deps.catalog, apiPrefix: config.apiPrefix).addRoutes(to: shop)
    ProductImageController(images: deps.images, apiPrefix: config.apiPrefix).addRoutes(to: shop)
    CartController(carts: deps.carts).addRoutes(to: shop)
    OrderController(orders: deps.orders, payments: deps.payments, metrics: deps.metrics).addRoutes(to: shop)
    PaymentController(payments: deps.payments).addRoutes(to: shop)
    CheckoutController(checkout: deps.checkout).addRoutes(to: shop)
    AddressController(addresses: deps.addresses).addRoutes(to: shop)
    ShippingAndTaxController(shipping: deps.shipping, tax: deps.tax).addRoutes(to: shop)
    DiscountController(discounts: deps.discounts).addRoutes(to: shop)
    AnalyticsController(analytics: deps.analytics).addRoutes(to: shop)
    MailController(mail: deps.mail).addRoutes(to: shop.group("mail"))

    catalog.load(router.routes)
    return (router, catalog)
}

/// Builds the whole application as production runs it. `onServerRunning` receives the bound port
/// (useful with `PORT=0`); with `tls` the main listener speaks TLS only.
public func buildApplication(
    _ deps: AppDependencies, tls: TLSCertificates? = nil, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
    onMetricsRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async -> some ApplicationProtocol {
    let (router, _) = await buildRouter(deps)
    deps.readiness.markMigrated()
    let config = deps.config
    let limits = ConnectionLimits(idleTimeout: config.idleTimeout, headerTimeout: config.headerTimeout, bodyTimeout: config.bodyTimeout,
                                  writeTimeout: config.writeTimeout, maxConnectionsPerClient: config.maxConnectionsPerClient, exempt: config.trustedProxies)
    return Application(
        router: router,
        server: GuardedHTTP1Channel.builder(limits: limits, tls: tls, logger: deps.logger),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "emporium"),
        services: [
            StorageShutdownService(backend: deps.backend),
            StallWatchdog(metrics: deps.metrics, logger: deps.logger),
            CommerceJobsService(backend: deps.backend, catalog: deps.catalog, orders: deps.orders, payments: deps.payments,
                                logger: deps.logger),
            OutboxDeliveryService(backend: deps.backend, tenants: deps.tenants, delivery: deps.mail.delivery(observe: { transport, outcome in
                deps.metrics.outboxAttempt(channel: "mail", transport: transport, outcome: outcome.rawValue)
            }), metrics: deps.metrics, transportName: deps.mailTransport?.name ?? "none", logger: deps.logger, now: deps.now),
        ] + (config.metricsPort.map { [metricsApplication(deps, port: $0, onRunning: onMetricsRunning)] } ?? []),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? deps.config.port) },
        logger: deps.logger
    )
}

/// The `METRICS_PORT` listener: `/metrics` alone, on 127.0.0.1 only, without a token.
func metricsApplication(_ deps: AppDependencies, port: Int, onRunning: @escaping @Sendable (Int) async -> Void) -> any Service {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware(routes: RouteCatalog()))
    MetricsController(deps: deps, loopbackListener: true).addRoutes(to: router)
    return Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "emporium-metrics"),
        onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
        logger: deps.logger
    )
}

/// The cache namespace the health check uses: the nil UUID, which no shop ever gets.
enum HealthProbe {
    static let namespace = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    struct Failure: Error {}
}
