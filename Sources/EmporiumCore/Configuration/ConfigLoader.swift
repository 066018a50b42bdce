import Foundation

/// Resolves `AppConfig` from the process environment, then an env file, then defaults (DESIGN.md §4).
///
/// In development, missing secrets are generated once and kept in `<DATA_DIR>/secrets.env` (mode 0600),
/// so tokens stay valid across restarts. In production a missing or short secret stops the start.
public struct ConfigLoader {
    /// Secrets shorter than this are refused in production.
    public static let minimumSecretBytes = 32
    public static let secretNames = ["JWT_SECRET", "JWT_REFRESH_SECRET", "ENCRYPTION_KEY"]
    /// Every variable this loader reads; `config/emporium.env` documents each one (a test checks it).
    public static let knownVariables = [
        "EMPORIUM_ENV", "HOST", "PORT", "API_PREFIX", "DATA_DIR", "LOG_DIR", "LOG_LEVEL", "LOG_MAX_SIZE_MB", "LOG_MAX_FILES",
        "JWT_SECRET", "JWT_EXPIRES_IN", "JWT_REFRESH_SECRET", "JWT_REFRESH_EXPIRES_IN", "ENCRYPTION_KEY", "BCRYPT_COST",
        "RATE_LIMIT_WINDOW_MS", "RATE_LIMIT_MAX_REQUESTS", "CORS_ORIGIN", "MAX_OPEN_TENANTS", "DB_SYNCHRONOUS", "MAX_BODY_BYTES", "IMAGE_MAX_BYTES", "TLS_CERT_FILE", "TLS_KEY_FILE",
        "BASE_DOMAIN", "METRICS_TOKEN", "LOGIN_MAX_ATTEMPTS", "LOGIN_LOCK_MINUTES", "TENANT_RATE_LIMIT_WINDOW_MS",
        "TENANT_RATE_LIMIT_MAX_REQUESTS", "TRUST_PROXY", "HSTS", "ORDER_RESERVATION_TTL", "METRICS_TENANT_LABELS",
        "BACKUP_INTERVAL", "BACKUP_RETENTION", "BACKUP_DIR", "BACKUP_SHIP_TO", "TRUSTED_PROXIES", "CLIENT_RATE_LIMIT_WINDOW_MS",
        "CLIENT_RATE_LIMIT_MAX_REQUESTS", "USER_RATE_LIMIT_MAX_REQUESTS", "IDLE_TIMEOUT", "HEADER_TIMEOUT", "BODY_TIMEOUT", "WRITE_TIMEOUT",
        "QUERY_BUDGET_MS",
        "MAX_CONNECTIONS_PER_CLIENT", "METRICS_PORT", "JWT_SECRET_PREVIOUS", "JWT_SECRET_PREVIOUS_UNTIL",
        "ENCRYPTION_KEY_PREVIOUS", "ENCRYPTION_KEY_PREVIOUS_UNTIL", "STRIPE_API_URL",
        "AUDIT_LOG_RETENTION", "REQUEST_LOG_RETENTION", "MAIL_URL", "MAIL_FROM", "PUBLIC_URL", "MAIL_RETRY_FIRST_DELAY",
    ]
    /// Settings whose values `check-config` and logs must never show.
    public static let maskedNames: Set<String> = [
        "JWT_SECRET", "JWT_REFRESH_SECRET", "ENCRYPTION_KEY", "METRICS_TOKEN", "JWT_SECRET_PREVIOUS", "ENCRYPTION_KEY_PREVIOUS",
        // It may carry the SMTP password.
        "MAIL_URL",
    ]

    private let environment: [String: String]
    private let fileValues: [String: String]

    /// - Parameters:
    ///   - environment: the process environment.
    ///   - envFileText: the contents of the env file, if one was found.
    public init(environment: [String: String], envFileText: String? = nil) {
        self.environment = environment
        self.fileValues = envFileText.map(EnvFile.parse) ?? [:]
    }

    /// Reads the env file named by `EMPORIUM_CONFIG`, or `./emporium.env` when that exists.
    public static func fromProcess(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConfigLoader {
        let explicit = environment["EMPORIUM_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = explicit ?? "emporium.env"
        guard FileManager.default.fileExists(atPath: path) else {
            if let explicit { throw ConfigError.unreadable(path: explicit, reason: "no such file") }
            return ConfigLoader(environment: environment)
        }
        do {
            return ConfigLoader(environment: environment, envFileText: try String(contentsOfFile: path, encoding: .utf8))
        } catch {
            throw ConfigError.unreadable(path: path, reason: "\(error)")
        }
    }

    /// The listening port alone, for commands that only talk to a running server (`health-check`):
    /// they must work where the secrets a full `load()` insists on are not in their environment.
    public func port() throws -> Int {
        try Self.integer("PORT", lookup("PORT")?.value, Self.defaultPort, Self.portRange)
    }

    /// `EMPORIUM_ENV` (or `NODE_ENV`) alone, before secrets are needed: `serve --demo` refuses production early.
    public func environmentName() throws -> AppEnvironment {
        let text = lookup("EMPORIUM_ENV")?.value ?? lookup("NODE_ENV")?.value ?? "development"
        guard let value = AppEnvironment(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ConfigError.invalid(variable: "EMPORIUM_ENV", value: text, expected: "one of " + AppEnvironment.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    private static let defaultPort = 3000
    private static let portRange = 0...65_535

    /// A non-empty value from the environment, else from the env file.
    private func lookup(_ name: String) -> (value: String, source: ConfigSource)? {
        if let value = environment[name], !value.isEmpty { return (value, .environment) }
        if let value = fileValues[name], !value.isEmpty { return (value, .envFile) }
        return nil
    }

    private static func integer(_ name: String, _ text: String?, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
        guard let text else { return fallback }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw ConfigError.invalid(variable: name, value: text, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// Resolves every setting. `persistSecrets` is false for read-only uses such as tests of the rules.
    public func load(persistSecrets: Bool = true) throws -> AppConfig {
        var sources: [String: ConfigSource] = [:]
        func raw(_ name: String) -> String? {
            let found = lookup(name)
            sources[name] = found?.source ?? .defaultValue
            return found?.value
        }
        func integer(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            try Self.integer(name, raw(name), fallback, range)
        }
        func duration(_ name: String, _ fallback: TimeInterval) throws -> TimeInterval {
            guard let text = raw(name) else { return fallback }
            guard let value = DurationText.seconds(text) else {
                throw ConfigError.invalid(variable: name, value: text, expected: "a duration such as 15m, 1h or 7d")
            }
            return value
        }
        func flag(_ name: String, _ fallback: Bool = false) throws -> Bool {
            guard let text = raw(name) else { return fallback }
            switch text.lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default: throw ConfigError.invalid(variable: name, value: text, expected: "true or false")
            }
        }
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ fallback: T, normalize: (String) -> String = { $0.lowercased() }) throws -> T
        where T.RawValue == String {
            guard let text = raw(name) else { return fallback }
            guard let value = T(rawValue: normalize(text.trimmingCharacters(in: .whitespaces))) else {
                throw ConfigError.invalid(variable: name, value: text, expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return value
        }

        let environmentName: AppEnvironment
        if environment["EMPORIUM_ENV"].map({ !$0.isEmpty }) == true || fileValues["EMPORIUM_ENV"] != nil {
            environmentName = try choice("EMPORIUM_ENV", AppEnvironment.development)
        } else {
            environmentName = try choice("NODE_ENV", AppEnvironment.development)
            sources["EMPORIUM_ENV"] = sources["NODE_ENV"]
        }
        let production = environmentName == .production

        let host = raw("HOST") ?? "127.0.0.1"
        let port = try integer("PORT", Self.defaultPort, Self.portRange)
        let apiPrefix = (raw("API_PREFIX") ?? "api/v1").trimmingCharacters(in: CharacterSet(charactersIn: "/ "))
        guard !apiPrefix.isEmpty, apiPrefix.allSatisfy({ $0.isLetter || $0.isNumber || "/-_.".contains($0) }) else {
            throw ConfigError.invalid(variable: "API_PREFIX", value: apiPrefix, expected: "a path such as api/v1")
        }
        let dataDirectory = Self.absolute(raw("DATA_DIR") ?? "emporium-data")
        let logDirectory = Self.absolute(raw("LOG_DIR") ?? dataDirectory + "/logs")
        let logLevel = (raw("LOG_LEVEL") ?? "info").lowercased()
        let levels = ["trace", "debug", "info", "notice", "warning", "warn", "error", "critical"]
        guard levels.contains(logLevel) else {
            throw ConfigError.invalid(variable: "LOG_LEVEL", value: logLevel, expected: "one of " + levels.joined(separator: ", "))
        }
        let logMaxSizeMB = try integer("LOG_MAX_SIZE_MB", 50, 1...10_240)
        let logMaxFiles = try integer("LOG_MAX_FILES", 10, 1...1_000)
        let jwtExpiresIn = try duration("JWT_EXPIRES_IN", 3600)
        let jwtRefreshExpiresIn = try duration("JWT_REFRESH_EXPIRES_IN", 7 * 86_400)
        let rateLimitWindowMs = try integer("RATE_LIMIT_WINDOW_MS", 900_000, 1_000...86_400_000)
        let rateLimitMaxRequests = try integer("RATE_LIMIT_MAX_REQUESTS", 100, 1...1_000_000)
        let corsOrigins = try (raw("CORS_ORIGIN") ?? "").split(separator: ",").map { origin -> String in
            let value = origin.trimmingCharacters(in: .whitespaces)
            guard value.hasPrefix("http://") || value.hasPrefix("https://"), !value.hasSuffix("/") || value.count < 9 else {
                throw ConfigError.invalid(variable: "CORS_ORIGIN", value: value, expected: "comma-separated origins such as https://shop.example.com")
            }
            return value
        }
        let maxOpenTenants = try integer("MAX_OPEN_TENANTS", 256, 1...100_000)
        let dbSynchronous: SynchronousMode = try choice("DB_SYNCHRONOUS", .full, normalize: { $0.uppercased() })
        var baseDomain: String?
        if let text = raw("BASE_DOMAIN") {
            do {
                baseDomain = try HostnameRules.normalizeDomain(text)
            } catch {
                throw ConfigError.invalid(variable: "BASE_DOMAIN", value: text, expected: "a domain such as shops.example.com")
            }
        }
        var defaultTenant: String?
        if let text = raw("DEFAULT_TENANT") {
            if UUID(uuidString: text) != nil {
                defaultTenant = text.lowercased()
            } else if let subdomain = try? HostnameRules.normalizeSubdomain(text) {
                defaultTenant = subdomain
            } else {
                throw ConfigError.invalid(variable: "DEFAULT_TENANT", value: text, expected: "a shop's subdomain or UUID")
            }
        }
        let metricsToken = raw("METRICS_TOKEN")
        let metricsPort: Int? = try raw("METRICS_PORT").map { _ in try integer("METRICS_PORT", 0, Self.portRange) }
        let maxBodyBytes = try integer("MAX_BODY_BYTES", 1_048_576, 1_024...67_108_864)
        let imageMaxBytes = try integer("IMAGE_MAX_BYTES", 10_485_760, 1_024...67_108_864)
        let bcryptCost = try integer("BCRYPT_COST", production ? 12 : 10, production ? 10...31 : 4...31)
        let loginMaxAttempts = try integer("LOGIN_MAX_ATTEMPTS", 5, 1...100)
        let loginLockMinutes = try integer("LOGIN_LOCK_MINUTES", 15, 1...10_080)
        let tenantRateLimitWindowMs = try integer("TENANT_RATE_LIMIT_WINDOW_MS", 60_000, 1_000...86_400_000)
        let tenantRateLimitMaxRequests = try integer("TENANT_RATE_LIMIT_MAX_REQUESTS", 6_000, 1...100_000_000)
        let trustProxy = try flag("TRUST_PROXY")
        var trustedProxies = trustProxy ? IPNetwork.loopback : []
        if let text = raw("TRUSTED_PROXIES") {
            trustedProxies = try text.split(separator: ",").map { entry in
                guard let network = IPNetwork(String(entry)) else {
                    throw ConfigError.invalid(variable: "TRUSTED_PROXIES", value: String(entry), expected: "comma-separated addresses or CIDR blocks such as 10.0.0.0/8")
                }
                return network
            }
        }
        let clientRateLimitWindowMs = try integer("CLIENT_RATE_LIMIT_WINDOW_MS", 60_000, 1_000...86_400_000)
        let clientRateLimitMaxRequests = try integer("CLIENT_RATE_LIMIT_MAX_REQUESTS", 600, 1...100_000_000)
        let userRateLimitMaxRequests = try integer("USER_RATE_LIMIT_MAX_REQUESTS", 1_200, 1...100_000_000)
        func bounded(_ name: String, _ fallback: TimeInterval, _ range: ClosedRange<TimeInterval>) throws -> TimeInterval {
            let value = try duration(name, fallback)
            guard range.contains(value) else {
                throw ConfigError.invalid(variable: name, value: raw(name) ?? "", expected: "a duration from \(Int(range.lowerBound))s to \(Int(range.upperBound))s")
            }
            return value
        }
        let idleTimeout = try bounded("IDLE_TIMEOUT", 60, 1...3_600)
        let headerTimeout = try bounded("HEADER_TIMEOUT", 10, 1...600)
        let bodyTimeout = try bounded("BODY_TIMEOUT", 30, 1...3_600)
        let writeTimeout = try bounded("WRITE_TIMEOUT", 60, 1...3_600)
        let queryBudgetMs = try integer("QUERY_BUDGET_MS", 5_000, 10...600_000)
        let maxConnectionsPerClient = try integer("MAX_CONNECTIONS_PER_CLIENT", 128, 1...100_000)
        let stripeAPIURL = raw("STRIPE_API_URL") ?? "https://api.stripe.com"
        guard (try? OutboundURL(stripeAPIURL)) != nil else {
            throw ConfigError.invalid(variable: "STRIPE_API_URL", value: stripeAPIURL,
                                      expected: "an https:// address, or http://127.0.0.1:PORT for a local stand-in")
        }
        let tlsCertificateFile = raw("TLS_CERT_FILE"), tlsKeyFile = raw("TLS_KEY_FILE")
        guard (tlsCertificateFile == nil) == (tlsKeyFile == nil) else {
            throw ConfigError.invalid(variable: tlsCertificateFile == nil ? "TLS_CERT_FILE" : "TLS_KEY_FILE", value: "",
                                      expected: "set together with \(tlsCertificateFile == nil ? "TLS_KEY_FILE" : "TLS_CERT_FILE") (both or neither)")
        }
        let hsts = try flag("HSTS", tlsCertificateFile != nil)
        let orderReservationTTL = try duration("ORDER_RESERVATION_TTL", 15 * 60)
        let metricsTenantLabels = try flag("METRICS_TENANT_LABELS", true)
        /// A duration that may be switched off (`off`, `0`, `none` or unset: nil).
        func optionalDuration(_ name: String, atLeast minimum: TimeInterval, example: String) throws -> TimeInterval? {
            guard let text = raw(name), !["off", "0", "none"].contains(text.lowercased()) else { return nil }
            guard let seconds = DurationText.seconds(text), seconds >= minimum else {
                throw ConfigError.invalid(variable: name, value: text, expected: "off, or a duration of at least \(Int(minimum))s such as \(example)")
            }
            return seconds
        }
        let backupInterval = try optionalDuration("BACKUP_INTERVAL", atLeast: 60, example: "6h or 1d")
        let auditLogRetention = try optionalDuration("AUDIT_LOG_RETENTION", atLeast: 1, example: "365d")
        let requestLogRetention = try optionalDuration("REQUEST_LOG_RETENTION", atLeast: 1, example: "30d")
        let backupRetention = try integer("BACKUP_RETENTION", 7, 1...10_000)
        let backupsDirectory = Self.absolute(raw("BACKUP_DIR") ?? dataDirectory + "/backups")
        let backupShipTo = raw("BACKUP_SHIP_TO")
        if let backupShipTo, !BackupShipping.isUsableDestination(backupShipTo) {
            throw ConfigError.invalid(variable: "BACKUP_SHIP_TO", value: backupShipTo,
                                      expected: "an rsync destination such as standby.example:/var/lib/emporium/backups/a/ or /mnt/standby/a/")
        }

        let mailURL = try raw("MAIL_URL").map(MailURL.parse)
        if let roots = mailURL?.trustRoots, !FileManager.default.isReadableFile(atPath: roots) {
            throw ConfigError.invalid(variable: "MAIL_URL", value: mailURL?.description ?? "", expected: "a ca= file that exists and can be read: \(roots)")
        }
        var mailFrom: MailAddress?
        if let text = raw("MAIL_FROM") {
            guard let parsed = try? MailAddress.parse(text, field: "MAIL_FROM"), parsed.isSafeOnTheWire else {
                throw ConfigError.invalid(variable: "MAIL_FROM", value: text, expected: "an address such as Shop <shop@example.com> or shop@example.com")
            }
            mailFrom = parsed
        } else if mailURL != nil {
            throw ConfigError.invalid(variable: "MAIL_FROM", value: "", expected: "the sender address, set together with MAIL_URL (e.g. shop@example.com)")
        }
        let mailRetryFirstDelay = try bounded("MAIL_RETRY_FIRST_DELAY", 30, 1...3_600)
        let publicURL = raw("PUBLIC_URL") ?? "http://localhost:\(port)"
        guard let parsedPublic = URL(string: publicURL), ["http", "https"].contains(parsedPublic.scheme?.lowercased() ?? ""), parsedPublic.host != nil,
              parsedPublic.query == nil, parsedPublic.fragment == nil else {
            throw ConfigError.invalid(variable: "PUBLIC_URL", value: publicURL, expected: "the box's public http(s) address, e.g. https://shop.example.com")
        }

        func previous(_ name: String) throws -> PreviousSecret? {
            guard let value = raw(name) else { return nil }
            if production, value.utf8.count < Self.minimumSecretBytes {
                throw ConfigError.weakSecret(variable: name, minimumBytes: Self.minimumSecretBytes)
            }
            let untilName = name + "_UNTIL"
            guard let text = raw(untilName) else {
                throw ConfigError.invalid(variable: untilName, value: "", expected: "the time \(name) stops being accepted, such as 2027-01-31T00:00:00Z")
            }
            guard let until = try? Date(text.trimmingCharacters(in: .whitespaces), strategy: .iso8601) else {
                throw ConfigError.invalid(variable: untilName, value: text, expected: "an ISO 8601 time such as 2027-01-31T00:00:00Z")
            }
            return PreviousSecret(value: value, until: until)
        }
        let previousJWTSecret = try previous("JWT_SECRET_PREVIOUS")
        let previousEncryptionKey = try previous("ENCRYPTION_KEY_PREVIOUS")

        var secrets: [String: String] = [:]
        var missing: [String] = []
        for name in Self.secretNames {
            if let value = raw(name) {
                if production, value.utf8.count < Self.minimumSecretBytes {
                    throw ConfigError.weakSecret(variable: name, minimumBytes: Self.minimumSecretBytes)
                }
                secrets[name] = value
            } else if production {
                throw ConfigError.missingSecret(variable: name)
            } else {
                missing.append(name)
            }
        }
        if !missing.isEmpty {
            let store = DevelopmentSecrets(path: dataDirectory + "/secrets.env")
            let resolved = try store.resolve(missing, persist: persistSecrets)
            for (name, secret) in resolved {
                secrets[name] = secret.value
                sources[name] = secret.generated ? .generated : .persisted
            }
        }

        var config = AppConfig(
            environment: environmentName, host: host, port: port, apiPrefix: apiPrefix,
            dataDirectory: dataDirectory, logDirectory: logDirectory, logLevel: logLevel == "warn" ? "warning" : logLevel,
            logMaxSizeMB: logMaxSizeMB, logMaxFiles: logMaxFiles,
            jwtSecret: secrets["JWT_SECRET"]!, jwtExpiresIn: jwtExpiresIn,
            jwtRefreshSecret: secrets["JWT_REFRESH_SECRET"]!, jwtRefreshExpiresIn: jwtRefreshExpiresIn,
            encryptionKey: secrets["ENCRYPTION_KEY"]!,
            rateLimitWindowMs: rateLimitWindowMs, rateLimitMaxRequests: rateLimitMaxRequests, corsOrigins: corsOrigins,
            maxOpenTenants: maxOpenTenants, dbSynchronous: dbSynchronous, baseDomain: baseDomain, defaultTenant: defaultTenant, metricsToken: metricsToken,
            maxBodyBytes: maxBodyBytes, bcryptCost: bcryptCost, loginMaxAttempts: loginMaxAttempts, loginLockMinutes: loginLockMinutes,
            tenantRateLimitWindowMs: tenantRateLimitWindowMs, tenantRateLimitMaxRequests: tenantRateLimitMaxRequests,
            trustProxy: trustProxy, hsts: hsts, orderReservationTTL: orderReservationTTL, metricsTenantLabels: metricsTenantLabels,
            backupInterval: backupInterval, backupRetention: backupRetention, backupsDirectory: backupsDirectory, sources: sources
        )
        config.trustedProxies = trustedProxies
        config.backupShipTo = backupShipTo
        config.metricsPort = metricsPort
        config.previousJWTSecret = previousJWTSecret
        config.previousEncryptionKey = previousEncryptionKey
        config.clientRateLimitWindowMs = clientRateLimitWindowMs
        config.clientRateLimitMaxRequests = clientRateLimitMaxRequests
        config.userRateLimitMaxRequests = userRateLimitMaxRequests
        config.idleTimeout = idleTimeout
        config.headerTimeout = headerTimeout
        config.bodyTimeout = bodyTimeout
        config.writeTimeout = writeTimeout
        config.queryBudgetMs = queryBudgetMs
        config.maxConnectionsPerClient = maxConnectionsPerClient
        config.stripeAPIURL = stripeAPIURL
        config.imageMaxBytes = imageMaxBytes
        config.tlsCertificateFile = tlsCertificateFile
        config.auditLogRetention = auditLogRetention
        config.requestLogRetention = requestLogRetention
        config.tlsKeyFile = tlsKeyFile
        config.mailURL = mailURL
        config.mailFrom = mailFrom
        config.mailRetryFirstDelay = mailRetryFirstDelay
        config.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        return config
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let cwd = FileManager.default.currentDirectoryPath
        return path == "." ? cwd : cwd + "/" + path
    }
}
