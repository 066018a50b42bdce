import EmporiumCore
import Foundation
import TestScratch
import Testing

@Suite("Configuration: defaults, validation, secrets")
struct ConfigLoaderTests {
    func freshDataDir() -> String {
        scratchPath("emporium-config")
    }

    @Test func zeroConfigurationRunsWithDocumentedDefaults() throws {
        let config = try ConfigLoader(environment: ["DATA_DIR": freshDataDir()]).load()
        #expect(config.environment == .development)
        #expect(config.port == 3000)
        #expect(config.host == "127.0.0.1")
        #expect(config.apiPrefix == "api/v1")
        #expect(config.logLevel == "info")
        #expect(config.logMaxSizeMB == 50)
        #expect(config.logMaxFiles == 10)
        #expect(config.jwtExpiresIn == 3600)
        #expect(config.jwtRefreshExpiresIn == 7 * 86_400)
        #expect(config.rateLimitWindowMs == 900_000)
        #expect(config.rateLimitMaxRequests == 100)
        #expect(config.maxOpenTenants == 256)
        #expect(config.dbSynchronous == .full)
        #expect(config.corsOrigins.isEmpty)
        #expect(config.jwtSecret.utf8.count >= 32)
    }

    @Test func portAloneResolvesWithoutTheSecretsAFullLoadRequires() throws {
        let production = ConfigLoader(environment: ["EMPORIUM_ENV": "production"], envFileText: "PORT=8080\n")
        #expect(throws: ConfigError.self) { try production.load(persistSecrets: false) }
        #expect(try production.port() == 8080)
        #expect(try ConfigLoader(environment: ["PORT": "9090"], envFileText: "PORT=8080\n").port() == 9090)
        #expect(try ConfigLoader(environment: [:]).port() == 3000)
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: ["PORT": "70000"]).port() }
    }

    @Test(arguments: [
        ("PORT", "abc"), ("PORT", "70000"), ("LOG_LEVEL", "loud"), ("MAX_OPEN_TENANTS", "-1"), ("MAX_OPEN_TENANTS", "0"),
        ("DB_SYNCHRONOUS", "sometimes"), ("JWT_EXPIRES_IN", "forever"), ("JWT_EXPIRES_IN", "-5m"), ("EMPORIUM_ENV", "staging"),
        ("CORS_ORIGIN", "*"), ("BASE_DOMAIN", "not a domain"), ("LOG_MAX_FILES", "0"), ("MAX_BODY_BYTES", "12"),
        ("STRIPE_API_URL", "http://api.stripe.com"), ("STRIPE_API_URL", "https://"), ("STRIPE_API_URL", "http://10.0.0.1:80"),
    ])
    func invalidValueStopsTheStartNamingTheVariable(_ name: String, _ value: String) throws {
        let loader = ConfigLoader(environment: ["DATA_DIR": freshDataDir(), name: value])
        do {
            _ = try loader.load(persistSecrets: false)
            Issue.record("\(name)=\(value) was accepted")
        } catch let error as ConfigError {
            #expect(error.description.contains(name))
        }
    }

    /// A payment provider is reached over https, or over plain http only on this machine (a stand-in).
    @Test func stripeURLIsHTTPSOrALoopbackStandIn() throws {
        for accepted in ["https://api.stripe.com", "http://127.0.0.1:4242", "http://localhost:4242", "http://[::1]:4242"] {
            let config = try ConfigLoader(environment: ["DATA_DIR": freshDataDir(), "STRIPE_API_URL": accepted]).load(persistSecrets: false)
            #expect(config.stripeAPIURL == accepted)
        }
    }

    /// Mail is configured once per box and checked at start: a bad MAIL_URL or a missing sender stops it.
    @Test func mailNeedsAValidURLAndASenderAndNeverShowsItsPassword() throws {
        func load(_ extra: [String: String]) throws -> AppConfig {
            try ConfigLoader(environment: ["DATA_DIR": freshDataDir()].merging(extra) { _, new in new }).load(persistSecrets: false)
        }
        let off = try load([:])
        #expect(off.mailURL == nil && off.mailFrom == nil && off.mailRetryFirstDelay == 30)
        let on = try load(["MAIL_URL": "smtp://u:s3cret@mail.example.com:587", "MAIL_FROM": "Shop <shop@example.com>", "MAIL_RETRY_FIRST_DELAY": "5s"])
        #expect(on.mailURL?.kind == .smtp && on.mailFrom?.address == "shop@example.com" && on.mailRetryFirstDelay == 5)
        #expect(throws: ConfigError.self) { try load(["MAIL_URL": "smtp://mail.example.com"]) }
        #expect(throws: ConfigError.self) { try load(["MAIL_URL": "ftp://mail.example.com", "MAIL_FROM": "a@example.com"]) }
        #expect(throws: ConfigError.self) { try load(["MAIL_URL": "sendmail:///usr/sbin/sendmail", "MAIL_FROM": "a@example.com>\r\nBcc: x@y.z"]) }
        #expect(throws: ConfigError.self) { try load(["MAIL_URL": "smtp://h?ca=/no/such/file.pem", "MAIL_FROM": "a@example.com"]) }
        #expect(throws: ConfigError.self) { try load(["PUBLIC_URL": "javascript:alert(1)"]) }
        do {
            _ = try load(["MAIL_URL": "smtp://u:s3cret@host:99999", "MAIL_FROM": "a@example.com"])
            Issue.record("port 99999 was accepted")
        } catch {
            #expect(!"\(error)".contains("s3cret"), "\(error)")
        }
        #expect(ConfigLoader.maskedNames.contains("MAIL_URL"))
    }

    @Test func environmentWinsOverTheEnvFileAndNodeEnvIsAnAlias() throws {
        let file = """
            # comment
            export PORT=4000
            LOG_LEVEL="debug"
            NODE_ENV=development
            DB_SYNCHRONOUS='normal'
            """
        let config = try ConfigLoader(environment: ["DATA_DIR": freshDataDir(), "PORT": "5000"], envFileText: file).load(persistSecrets: false)
        #expect(config.port == 5000)
        #expect(config.sources["PORT"] == .environment)
        #expect(config.logLevel == "debug")
        #expect(config.sources["LOG_LEVEL"] == .envFile)
        #expect(config.dbSynchronous == .normal)
    }

    @Test func productionRefusesMissingOrShortSecretsNamingThem() throws {
        let strong = String(repeating: "s", count: 40)
        let base = ["DATA_DIR": freshDataDir(), "EMPORIUM_ENV": "production"]
        #expect(throws: ConfigError.missingSecret(variable: "JWT_SECRET")) { try ConfigLoader(environment: base).load() }
        var short = base
        short["JWT_SECRET"] = strong
        short["JWT_REFRESH_SECRET"] = "short"
        short["ENCRYPTION_KEY"] = strong
        #expect(throws: ConfigError.weakSecret(variable: "JWT_REFRESH_SECRET", minimumBytes: 32)) { try ConfigLoader(environment: short).load() }
        var alias = base
        alias["EMPORIUM_ENV"] = nil
        alias["NODE_ENV"] = "production"
        #expect(throws: ConfigError.missingSecret(variable: "JWT_SECRET")) { try ConfigLoader(environment: alias).load() }
        var good = short
        good["JWT_REFRESH_SECRET"] = strong
        let config = try ConfigLoader(environment: good).load()
        #expect(config.environment == .production)
        #expect(config.bcryptCost >= 10)
        #expect(!FileManager.default.fileExists(atPath: base["DATA_DIR"]! + "/secrets.env"))
    }

    @Test func productionRefusesALowBcryptCost() {
        let strong = String(repeating: "s", count: 40)
        let environment = ["DATA_DIR": freshDataDir(), "EMPORIUM_ENV": "production", "JWT_SECRET": strong, "JWT_REFRESH_SECRET": strong,
                           "ENCRYPTION_KEY": strong, "BCRYPT_COST": "4"]
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: environment).load() }
    }

    @Test func developmentSecretsAreGeneratedOncePersistedPrivatelyAndReused() throws {
        let dataDir = freshDataDir()
        let first = try ConfigLoader(environment: ["DATA_DIR": dataDir]).load()
        #expect(first.sources["JWT_SECRET"] == .generated)
        let path = dataDir + "/secrets.env"
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let second = try ConfigLoader(environment: ["DATA_DIR": dataDir]).load()
        #expect(second.sources["JWT_SECRET"] == .persisted)
        #expect(second.jwtSecret == first.jwtSecret)
        #expect(second.encryptionKey == first.encryptionKey)
        #expect(first.jwtSecret != first.jwtRefreshSecret)
    }

    @Test(arguments: [("1h", 3600.0), ("7d", 604_800.0), ("15m", 900.0), ("30s", 30.0), ("500ms", 0.5), ("90", 90.0)])
    func durationsParseTheSpecsNotation(_ text: String, _ seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }
}

@Suite("The shipped env file")
struct ShippedEnvFileTests {
    static let envFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config/emporium.env")

    @Test func documentsEveryVariableAndLoadsAsIs() throws {
        let text = try String(contentsOf: Self.envFile, encoding: .utf8)
        for name in ConfigLoader.knownVariables {
            #expect(text.contains("\(name)="), "config/emporium.env does not document \(name)")
        }
        let dataDir = scratchPath("emporium-envfile")
        let config = try ConfigLoader(environment: ["DATA_DIR": dataDir], envFileText: text).load(persistSecrets: false)
        #expect(config.port == 3000)
        #expect(config.dbSynchronous == .full)
    }
}
