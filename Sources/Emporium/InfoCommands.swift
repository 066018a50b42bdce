import ArgumentParser
import EmporiumCore
import EmporiumObservability
import Foundation

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version and git revision.")

    func run() throws {
        print("emporium \(BuildInfo.version) (\(BuildInfo.revision))")
    }
}

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Print the resolved configuration with secrets masked, or the first error."
    )

    func run() throws {
        let config = try ConfigLoader.fromProcess().load()
        let rows: [(String, String)] = [
            ("EMPORIUM_ENV", config.environment.rawValue), ("HOST", config.host), ("PORT", "\(config.port)"),
            ("API_PREFIX", config.apiPrefix), ("DATA_DIR", config.dataDirectory), ("LOG_DIR", config.logDirectory),
            ("LOG_LEVEL", config.logLevel), ("LOG_MAX_SIZE_MB", "\(config.logMaxSizeMB)"), ("LOG_MAX_FILES", "\(config.logMaxFiles)"),
            ("JWT_SECRET", config.jwtSecret), ("JWT_EXPIRES_IN", "\(Int(config.jwtExpiresIn))s"),
            ("JWT_REFRESH_SECRET", config.jwtRefreshSecret), ("JWT_REFRESH_EXPIRES_IN", "\(Int(config.jwtRefreshExpiresIn))s"),
            ("ENCRYPTION_KEY", config.encryptionKey),
            ("RATE_LIMIT_WINDOW_MS", "\(config.rateLimitWindowMs)"), ("RATE_LIMIT_MAX_REQUESTS", "\(config.rateLimitMaxRequests)"),
            ("CORS_ORIGIN", config.corsOrigins.joined(separator: ",")), ("MAX_OPEN_TENANTS", "\(config.maxOpenTenants)"),
            ("DB_SYNCHRONOUS", config.dbSynchronous.rawValue), ("BASE_DOMAIN", config.baseDomain ?? ""),
            ("METRICS_TOKEN", config.metricsToken ?? ""), ("MAX_BODY_BYTES", "\(config.maxBodyBytes)"),
            ("IMAGE_MAX_BYTES", "\(config.imageMaxBytes)"),
            ("TLS_CERT_FILE", config.tlsCertificateFile ?? ""), ("TLS_KEY_FILE", config.tlsKeyFile ?? ""),
            ("BCRYPT_COST", "\(config.bcryptCost)"), ("LOGIN_MAX_ATTEMPTS", "\(config.loginMaxAttempts)"),
            ("LOGIN_LOCK_MINUTES", "\(config.loginLockMinutes)"), ("TENANT_RATE_LIMIT_WINDOW_MS", "\(config.tenantRateLimitWindowMs)"),
            ("TENANT_RATE_LIMIT_MAX_REQUESTS", "\(config.tenantRateLimitMaxRequests)"), ("TRUST_PROXY", "\(config.trustProxy)"),
            ("HSTS", "\(config.hsts)"), ("ORDER_RESERVATION_TTL", "\(Int(config.orderReservationTTL))s"),
            ("METRICS_TENANT_LABELS", "\(config.metricsTenantLabels)"), ("BACKUP_INTERVAL", config.backupInterval.map { "\(Int($0))s" } ?? "off"),
            ("BACKUP_RETENTION", "\(config.backupRetention)"), ("BACKUP_DIR", config.backupsDirectory),
        ]
        for (name, value) in rows {
            let shown = ConfigLoader.maskedNames.contains(name) && !value.isEmpty ? "******** (\(value.utf8.count) bytes)" : value
            let source = config.sources[name]?.rawValue ?? "default"
            print("\(name)=\(shown)".padding(toLength: 60, withPad: " ", startingAt: 0) + " # \(source)")
        }
    }
}
