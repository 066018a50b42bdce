import EmporiumCore
import Foundation
import Hummingbird

/// `/auth/password-reset`, `/auth/verify-email` and the staff's own mail alerts: what a person
/// does with the links the shop mails them. Under `/auth`, so rate-limited per client address.
struct AccountRecoveryController {
    let recovery: AccountRecoveryService
    let storage: any TenantStorage
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.post("password-reset", use: requestReset)
            .post("password-reset/confirm", use: confirmReset)
            .post("verify-email", use: verifyEmail)
            .post("verify-email/resend", use: resendVerification)
            .get("me/mail-alerts", use: mailAlerts)
            .put("me/mail-alerts", use: setMailAlerts)
    }

    struct ResetRequest: Decodable {
        let email: String
    }

    struct ConfirmRequest: Decodable {
        let token: String
        let newPassword: String
    }

    struct TokenRequest: Decodable {
        let token: String
    }

    struct AlertsRequest: Decodable {
        let alerts: [String]
    }

    struct AlertsDTO: Encodable, Sendable {
        let alerts: [String]
        let available: [String]
    }

    /// 202 whatever the address: the answer never says whether it has an account.
    @Sendable func requestReset(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<[String: String]>> {
        let input = try await request.decodeJSON(as: ResetRequest.self, context: context)
        try await recovery.requestReset(in: context.tenant.id, email: input.email, by: context.actor)
        return EditedResponse(status: .accepted, response: Envelope([
            "message": "If an account uses this address, a link to choose a new password is on its way. It works for 30 minutes.",
        ]))
    }

    @Sendable func confirmReset(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: Bool]> {
        let input = try await request.decodeJSON(as: ConfirmRequest.self, context: context)
        try await recovery.confirmReset(in: context.tenant.id, token: Self.bounded(input.token), newPassword: input.newPassword, by: context.actor)
        return Envelope(["passwordChanged": true])
    }

    @Sendable func verifyEmail(_ request: Request, context: TenantRequestContext) async throws -> Envelope<UserDTO> {
        let input = try await request.decodeJSON(as: TokenRequest.self, context: context)
        return Envelope(UserDTO(try await recovery.verifyEmail(in: context.tenant.id, token: Self.bounded(input.token), by: context.actor)))
    }

    @Sendable func resendVerification(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<[String: Bool]>> {
        _ = try context.requireUser()
        try await recovery.resendVerification(in: context.tenant.id, by: context.actor)
        return EditedResponse(status: .accepted, response: Envelope(["queued": true]))
    }

    @Sendable func mailAlerts(_ request: Request, context: TenantRequestContext) async throws -> Envelope<AlertsDTO> {
        let user = try Self.staff(context)
        let chosen = try await storage.read(context.tenant.id) { tx in try StaffAlerts.choices(of: user.id, tx) }
        return Envelope(AlertsDTO(alerts: chosen.map(\.rawValue), available: MailTopic.staffAlerts.map(\.rawValue)))
    }

    /// Each person chooses their own alerts; nobody puts someone else on a list.
    @Sendable func setMailAlerts(_ request: Request, context: TenantRequestContext) async throws -> Envelope<AlertsDTO> {
        let user = try Self.staff(context)
        let input = try await request.decodeJSON(as: AlertsRequest.self, context: context)
        guard input.alerts.count <= MailTopic.staffAlerts.count * 2 else { throw DomainError.invalid("alerts", "lists at most the available alerts") }
        let topics = try input.alerts.map { raw -> MailTopic in
            guard let topic = MailTopic(rawValue: raw), MailTopic.staffAlerts.contains(topic) else {
                throw DomainError.invalid("alerts", "'\(raw.prefix(100))' is not an alert; choose from \(MailTopic.staffAlerts.map(\.rawValue).joined(separator: ", "))")
            }
            return topic
        }
        let timestamp = now()
        let actor = context.actor
        let chosen = try await storage.write(context.tenant.id) { tx in
            try StaffAlerts.set(topics, of: user.id, tx, at: timestamp)
            try tx.audit.record(AuditEntry("user.mail_alerts_set", on: "user", id: user.id.lowercased, by: actor,
                                           new: .object(["alerts": .array(topics.map { .string($0.rawValue) })]), at: timestamp))
            return try StaffAlerts.choices(of: user.id, tx)
        }
        return Envelope(AlertsDTO(alerts: chosen.map(\.rawValue), available: MailTopic.staffAlerts.map(\.rawValue)))
    }

    static func staff(_ context: TenantRequestContext) throws -> User {
        let user = try context.requireUser()
        guard user.role != .customer else { throw DomainError.forbidden("Mail alerts are for the shop's staff") }
        return user
    }

    /// A token is 43 characters; anything far longer is not one, and is not hashed.
    static func bounded(_ token: String) throws -> String {
        guard !token.isEmpty, token.utf8.count <= 256 else { throw DomainError.invalid("token", "This link is invalid or has expired: ask for a new one") }
        return token
    }
}
