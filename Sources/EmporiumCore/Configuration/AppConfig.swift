import Foundation

/// Development or production. Production refuses weak or missing secrets instead of generating them.
public enum AppEnvironment: String, Sendable, CaseIterable {
    case development
    case production
    case test
}

/// SQLite's durability setting for every database the appliance opens.
public enum SynchronousMode: String, Sendable, CaseIterable {
    /// An acknowledged write survives power loss (the default).
    case full = "FULL"
    /// Faster; a power loss may drop the last transactions but never corrupts the file.
    case normal = "NORMAL"
    case extra = "EXTRA"
}

/// The resolved configuration of one Emporium process: every setting of DESIGN.md §4 with its
/// default applied and its value checked. Built once at start by `ConfigLoader`; read-only after.
public struct AppConfig: Sendable {
    public var environment: AppEnvironment
    public var host: String
    public var port: Int
    /// Without slashes, e.g. `api/v1`.
    public var apiPrefix: String
    public var dataDirectory: String
    public var logDirectory: String
    public var logLevel: String
    public var logMaxSizeMB: Int
    public var logMaxFiles: Int
    public var jwtSecret: String
    public var jwtExpiresIn: TimeInterval
    public var jwtRefreshSecret: String
    public var jwtRefreshExpiresIn: TimeInterval
    public var encryptionKey: String
    /// Key rotation (docs/operations.md): the secret in use before the current one, still accepted
    /// for verifying tokens (`JWT_SECRET_PREVIOUS`) or opening sealed settings
    /// (`ENCRYPTION_KEY_PREVIOUS`) until its `…_UNTIL` time; new tokens and seals use the current one.
    public var previousJWTSecret: PreviousSecret? = nil
    public var previousEncryptionKey: PreviousSecret? = nil
    public var rateLimitWindowMs: Int
    public var rateLimitMaxRequests: Int
    public var corsOrigins: [String]
    public var maxOpenTenants: Int
    public var dbSynchronous: SynchronousMode
    public var baseDomain: String?
    /// The shop a request is for when neither `X-Tenant-ID` nor the host names one (`DEFAULT_TENANT`,
    /// a subdomain or UUID): a single-shop box serves its storefront on its bare address.
    public var defaultTenant: String? = nil
    public var metricsToken: String?
    /// `METRICS_PORT`: a second listener on 127.0.0.1 that serves only `/metrics`, without a token.
    /// In production the main listener serves `/metrics` only with `METRICS_TOKEN` set.
    public var metricsPort: Int? = nil
    /// Largest request body accepted, in bytes (`MAX_BODY_BYTES`, default 1 MiB).
    public var maxBodyBytes: Int
    /// Largest product image upload, in bytes (`IMAGE_MAX_BYTES`, default 10 MiB): the one body
    /// allowed past `MAX_BODY_BYTES`.
    public var imageMaxBytes = 10_485_760
    /// bcrypt cost for new password hashes (`BCRYPT_COST`; ≥ 10 in production).
    public var bcryptCost: Int
    /// Consecutive failed sign-ins that lock an account (`LOGIN_MAX_ATTEMPTS`).
    public var loginMaxAttempts: Int
    /// How long a locked account stays locked (`LOGIN_LOCK_MINUTES`).
    public var loginLockMinutes: Int
    /// Per-shop API budget: requests per window across all clients of one shop.
    public var tenantRateLimitWindowMs: Int
    public var tenantRateLimitMaxRequests: Int
    /// Believe `X-Forwarded-For` for the client address (only behind a proxy you run).
    public var trustProxy: Bool
    /// The proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`, CIDR list): loopback when
    /// only `TRUST_PROXY=true` is set, none when neither is.
    public var trustedProxies: [IPNetwork] = []
    /// Per-client API budget (`CLIENT_RATE_LIMIT_MAX_REQUESTS` per `CLIENT_RATE_LIMIT_WINDOW_MS`), per
    /// address; signed-in callers also spend a per-user budget (`USER_RATE_LIMIT_MAX_REQUESTS`).
    public var clientRateLimitWindowMs: Int = 60_000
    public var clientRateLimitMaxRequests: Int = 600
    public var userRateLimitMaxRequests: Int = 1_200
    /// `IDLE_TIMEOUT`, `HEADER_TIMEOUT`, `BODY_TIMEOUT` (seconds) and `MAX_CONNECTIONS_PER_CLIENT`.
    public var idleTimeout: TimeInterval = 60
    public var headerTimeout: TimeInterval = 10
    public var bodyTimeout: TimeInterval = 30
    /// `WRITE_TIMEOUT` (seconds): a connection whose client stops reading an answer that is being
    /// written (nothing drains for this long) is closed, so a slow reader cannot hold the answer open.
    public var writeTimeout: TimeInterval = 60
    /// `QUERY_BUDGET_MS`: the database time one request's reads of its shop's file may take together
    /// (`QueryBudget`); the read running when it is spent is interrupted and the request answers 503
    /// with `Retry-After`.
    public var queryBudgetMs: Int = 5_000
    public var maxConnectionsPerClient: Int = 128
    /// `STRIPE_API_URL`: where Stripe's API is (a stand-in on loopback in tests). Plain `http://`
    /// is accepted for loopback only, so a shop's secret key never crosses a network in clear.
    public var stripeAPIURL: String = "https://api.stripe.com"
    /// Send `Strict-Transport-Security` (only when served over HTTPS; on by default with TLS).
    public var hsts: Bool
    /// `TLS_CERT_FILE` and `TLS_KEY_FILE`: PEM files for TLS on the main listener (both or neither).
    public var tlsCertificateFile: String? = nil
    public var tlsKeyFile: String? = nil
    /// Unpaid orders older than this are cancelled and their stock released (`ORDER_RESERVATION_TTL`).
    public var orderReservationTTL: TimeInterval
    /// `METRICS_TENANT_LABELS`: business metrics carry `tenant_id` (turn off with many shops).
    public var metricsTenantLabels: Bool
    /// `BACKUP_INTERVAL`: how often `serve` backs up every shop; nil (the default) is off.
    public var backupInterval: TimeInterval?
    /// `BACKUP_RETENTION`: backups kept per shop; older ones are deleted after each new one.
    public var backupRetention: Int
    /// `BACKUP_DIR`: where backups go (default `<DATA_DIR>/backups`).
    public var backupsDirectory: String
    /// `BACKUP_SHIP_TO`: an rsync destination (`host:folder` over ssh, or a folder such as a shared
    /// mount) that the backups are copied to after each backup of every shop, for a fleet's warm
    /// standby (docs/fleet.md); nil (the default) keeps them on this box.
    public var backupShipTo: String? = nil
    /// `AUDIT_LOG_RETENTION`: audit rows older than this are deleted from every shop while `serve`
    /// runs (`AuditRetentionService`); nil (the default) keeps them.
    public var auditLogRetention: TimeInterval? = nil
    /// `REQUEST_LOG_RETENTION`: lines in `combined.log`/`error.log` and their rotated files are
    /// deleted once older than this; nil (the default) leaves them to `LOG_MAX_FILES`.
    public var requestLogRetention: TimeInterval? = nil
    /// Where each setting's value came from, for `check-config`.
    /// `MAIL_URL`: how mail leaves the box; nil means no mail is sent (the outbox still fills).
    public var mailURL: MailURL? = nil
    /// `MAIL_FROM`: the sender address of every shop's mail; each shop puts its own name on it.
    public var mailFrom: MailAddress? = nil
    /// `MAIL_RETRY_FIRST_DELAY`: the wait after a message's first failed attempt; it doubles up to
    /// 3 h, 16 attempts in all (about 22 h with the default 30 s).
    public var mailRetryFirstDelay: TimeInterval = 30
    /// `PUBLIC_URL`: where mailed links point for a shop without its own domain or a `BASE_DOMAIN`.
    public var publicURL: String = "http://localhost:3000"
    public var sources: [String: ConfigSource]

    public var systemDatabasePath: String { dataDirectory + "/system.sqlite" }
    public var tenantsDirectory: String { dataDirectory + "/tenants" }
}

/// A retired secret and the moment it stops being accepted.
public struct PreviousSecret: Sendable, Equatable {
    public let value: String
    public let until: Date

    public init(value: String, until: Date) {
        self.value = value
        self.until = until
    }
}

/// Where a setting's value came from.
public enum ConfigSource: String, Sendable {
    case environment = "env"
    case envFile = "file"
    case generated = "generated"
    case persisted = "secrets file"
    case defaultValue = "default"
}
