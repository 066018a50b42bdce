import Crypto
import EmporiumSupport
import Foundation

/// The messages about an account itself, written in the transaction that changes it: the link
/// to reset a password or confirm an address, and the notices that tell the holder something
/// happened to their account (so a takeover does not go unnoticed).
public enum AccountMail {
    /// A notice to `user` (at `address`, by default the account's own).
    static func notify(_ topic: MailTopic, _ user: User, to address: String? = nil, facts: [String: JSONValue] = [:],
                       _ tx: any TenantTransaction, at timestamp: Date) throws {
        var payload = facts
        payload["firstName"] = .string(user.firstName)
        payload["email"] = .string(user.email)
        payload["at"] = .string(Self.readable(timestamp))
        payload["link"] = payload["link"] ?? .string(Self.path(for: user, screen: "forgot-password"))
        try tx.outbox.enqueue(.new(.mail, topic: topic.rawValue, to: address ?? user.email, payload: .object(payload), at: timestamp))
    }

    /// Makes a single-use link for `user`, stores its hash and queues the message carrying it. The
    /// token rides in the outbox sealed under `ENCRYPTION_KEY` and is opened only to render the mail.
    static func sendLink(_ purpose: AccountToken.Purpose, to user: User, _ tx: any TenantTransaction, box: SecretBox, at timestamp: Date) throws {
        let token = RefreshTokens.randomToken()
        try tx.accountTokens.insert(AccountToken(tokenHash: Self.hash(token), userID: user.id, purpose: purpose, email: user.email,
                                                 expiresAt: timestamp.addingTimeInterval(purpose.lifetime), createdAt: timestamp))
        let screen = purpose == .passwordReset ? "reset-password" : "verify-email"
        try notify(purpose == .passwordReset ? .passwordReset : .emailVerification, user,
                   facts: ["link": .string(path(for: user, screen: screen) + (user.role == .customer ? "?token={token}" : "?shop={shop}&token={token}")), "sealedToken": .string(try box.seal(token)),
                           "minutes": .string(String(Int(purpose.lifetime / 60)))],
                   tx, at: timestamp)
    }

    /// The storefront's screen for customers, the admin panel's for staff.
    static func path(for user: User, screen: String) -> String {
        user.role == .customer ? "/#/\(screen)" : "/admin#/\(screen)"
    }

    /// SHA-256, hex: the token has 256 random bits, so no secret is needed on top.
    static func hash(_ token: String) -> String {
        Hex.string(SHA256.hash(data: Data(token.utf8)))
    }

    /// `2026-12-07 09:30 UTC`.
    static func readable(_ date: Date) -> String {
        let text = UTCTime(date).sqlText
        return String(text.prefix(16)).replacingOccurrences(of: "T", with: " ") + " UTC"
    }
}
