import Foundation

/// A shop's rule for staff sign-in: with `auth.twoFactorRequired` set to `true`, every staff
/// account (any role but customer) needs a second factor. Until it has one, its sessions carry no
/// permissions: only its own account routes and enrolment answer.
public enum TwoFactorPolicy {
    /// `system_config` key; a JSON boolean, never encrypted.
    public static let requiredSetting = "auth.twoFactorRequired"

    /// Second factors are for staff; customers sign in to the storefront with a password.
    public static func canEnrol(_ role: Role) -> Bool { role.isStaff }

    public static func isRequired(_ tx: any TenantTransaction) throws -> Bool {
        if case .bool(true) = try tx.settings.setting(requiredSetting)?.value { return true }
        return false
    }

    /// Whether this account must enrol before it may act as staff.
    public static func mustEnrol(_ user: User, _ tx: any TenantTransaction) throws -> Bool {
        guard canEnrol(user.role), try isRequired(tx) else { return false }
        return try tx.twoFactor.credential(userID: user.id)?.isEnabled != true
    }

    /// `PUT /settings/auth.twoFactorRequired`: a boolean, in clear.
    static func validate(key: String, value: JSONValue, encrypted: Bool) throws {
        guard key == requiredSetting else { return }
        guard case .bool = value, !encrypted else { throw DomainError.invalid("value", "must be true or false, not encrypted") }
    }

    /// Inside the write: whoever turns the rule on must have a second factor themselves, so that
    /// no one locks the shop's staff — themselves included — out of the panel by mistake.
    /// The command line (no user) may.
    static func checkSwitchOn(key: String, value: JSONValue, by actor: Actor, _ tx: any TenantTransaction) throws {
        guard key == requiredSetting, case .bool(true) = value, let userID = actor.userID else { return }
        guard try tx.twoFactor.credential(userID: userID)?.isEnabled == true else {
            throw DomainError.conflict("Set up two-factor sign-in for your own account before requiring it of the staff")
        }
    }
}
