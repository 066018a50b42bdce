import Foundation

/// Why the process cannot start with the configuration it was given. Every case names the variable,
/// so the one-line error on stderr tells the operator exactly what to fix.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(variable: String, value: String, expected: String)
    case missingSecret(variable: String)
    case weakSecret(variable: String, minimumBytes: Int)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let variable, let value, let expected):
            return "\(variable)='\(value)' is invalid: expected \(expected)"
        case .missingSecret(let variable):
            return "\(variable) must be set in production (at least 32 bytes)"
        case .weakSecret(let variable, let minimumBytes):
            return "\(variable) is too short: at least \(minimumBytes) bytes are required in production"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        }
    }
}
