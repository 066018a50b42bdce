import EmporiumCore
import Foundation
import Hummingbird

/// `/mail/*`: the shop's mail in the admin panel — whether it is on, recent messages with their
/// attempts and a resend, and the templates with a preview and a test message to oneself.
/// Each route checks its permission before it reads the body or the path, so a caller without it
/// learns nothing from a 404 or a 422.
struct MailController {
    let mail: MailService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("status", use: status)
            .get("messages", use: messages)
            .get("messages/{id}", use: message)
            .post("messages/{id}/resend", use: resend)
            .get("templates", use: templates)
            .get("templates/{topic}", use: template)
            .put("templates/{topic}", use: saveTemplate)
            .delete("templates/{topic}", use: resetTemplate)
            .post("templates/{topic}/preview", use: preview)
            .post("templates/{topic}/test", use: sendTest)
    }

    struct TemplateRequest: Decodable {
        let subject: String
        let text: String
        let html: String

        var template: MailTemplate { MailTemplate(subject: subject, text: text, html: html) }
    }

    @Sendable func status(_ request: Request, context: TenantRequestContext) async throws -> Envelope<MailStatusDTO> {
        _ = try context.require(.settingsRead)
        return Envelope(MailStatusDTO(try await mail.status(in: context.tenant.id, by: context.actor)))
    }

    @Sendable func messages(_ request: Request, context: TenantRequestContext) async throws -> Envelope<PagedList<MailMessageDTO>> {
        _ = try context.require(.settingsRead)
        let query = request.uri.queryParameters
        let page = try query.page()
        var status: OutboxStatus?
        if let raw = query["status"] {
            guard let parsed = OutboxStatus(rawValue: String(raw)) else {
                throw DomainError.badRequest("Invalid query parameters", details: [FieldIssue(field: "status", message: "must be queued, sent or dead")])
            }
            status = parsed
        }
        let result = try await mail.messages(in: context.tenant.id, status: status, page: page, by: context.actor)
        return Envelope(PagedList(key: "messages", items: result.messages.map(MailMessageDTO.init), pagination: Pagination(page, total: result.total)))
    }

    @Sendable func message(_ request: Request, context: TenantRequestContext) async throws -> Envelope<MailMessageDetailDTO> {
        _ = try context.require(.settingsRead)
        let found = try await mail.message(in: context.tenant.id, id: try context.parameters.require("id"), by: context.actor)
        return Envelope(MailMessageDetailDTO(message: MailMessageDTO(found.message), attempts: found.attempts.map(MailAttemptDTO.init)))
    }

    @Sendable func resend(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<MailMessageDTO>> {
        _ = try context.require(.settingsWrite)
        let message = try await mail.resend(in: context.tenant.id, id: try context.parameters.require("id"), by: context.actor)
        return EditedResponse(status: .accepted, response: Envelope(MailMessageDTO(message)))
    }

    @Sendable func templates(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: [MailTemplateDTO]]> {
        _ = try context.require(.settingsRead)
        return Envelope(["templates": try await mail.templates(in: context.tenant.id, by: context.actor).map(MailTemplateDTO.init)])
    }

    @Sendable func template(_ request: Request, context: TenantRequestContext) async throws -> Envelope<MailTemplateDTO> {
        _ = try context.require(.settingsRead)
        return Envelope(MailTemplateDTO(try await mail.template(in: context.tenant.id, topic: try context.parameters.require("topic"), by: context.actor)))
    }

    @Sendable func saveTemplate(_ request: Request, context: TenantRequestContext) async throws -> Envelope<MailTemplateDTO> {
        _ = try context.require(.settingsWrite)
        let input = try await request.decodeJSON(as: TemplateRequest.self, context: context)
        return Envelope(MailTemplateDTO(try await mail.saveTemplate(in: context.tenant.id, topic: try context.parameters.require("topic"),
                                                                    input.template, by: context.actor)))
    }

    @Sendable func resetTemplate(_ request: Request, context: TenantRequestContext) async throws -> Response {
        _ = try context.require(.settingsWrite)
        try await mail.resetTemplate(in: context.tenant.id, topic: try context.parameters.require("topic"), by: context.actor)
        return Response(status: .noContent)
    }

    /// The stored template over the topic's sample, or the one in the body (the editor's unsaved words).
    @Sendable func preview(_ request: Request, context: TenantRequestContext) async throws -> Envelope<MailPreviewDTO> {
        _ = try context.require(.settingsRead)
        let input = try await request.decodeJSONIfPresent(as: TemplateRequest.self, context: context)
        return Envelope(MailPreviewDTO(try await mail.preview(in: context.tenant.id, topic: try context.parameters.require("topic"),
                                                              input?.template, by: context.actor)))
    }

    @Sendable func sendTest(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<MailMessageDTO>> {
        _ = try context.require(.settingsWrite)
        let message = try await mail.sendTest(in: context.tenant.id, topic: try context.parameters.require("topic"), by: context.actor)
        return EditedResponse(status: .accepted, response: Envelope(MailMessageDTO(message)))
    }
}
