/// One dependency `/health` looks at. `run` throws when the dependency does not answer correctly.
public struct HealthCheck: Sendable {
    /// The key under `services` in the health answer, e.g. `system-database`.
    public let name: String
    /// The key under `database` reporting `connected` / `disconnected`, for storage checks.
    public let databaseKey: String?
    public let run: @Sendable () async throws -> Void

    public init(name: String, databaseKey: String? = nil, run: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.databaseKey = databaseKey
        self.run = run
    }
}
