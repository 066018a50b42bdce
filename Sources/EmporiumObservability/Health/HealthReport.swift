import Foundation

/// The `/health` answer, in exactly the original spec's shape: status, timestamp, version,
/// `services` (each with status, responseTime and lastCheck) and `database`.
public struct HealthReport: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case healthy
        case unhealthy
    }

    public struct Service: Sendable, Codable, Equatable {
        public let status: Status
        /// Milliseconds as the spec writes them: `"45ms"`.
        public let responseTime: String
        public let lastCheck: String
        /// Why the check failed; absent when healthy. Never contains SQL or stack traces.
        public let error: String?
    }

    public let status: Status
    public let timestamp: String
    public let version: String
    public let services: [String: Service]
    public let database: [String: String]
    /// What is switched off by configuration rather than broken, e.g. `"mail": "not configured"`
    /// while `MAIL_URL` is unset. Never makes the report unhealthy; absent when nothing is off.
    public var notices: [String: String]? = nil

    public var isHealthy: Bool { status == .healthy }
}
