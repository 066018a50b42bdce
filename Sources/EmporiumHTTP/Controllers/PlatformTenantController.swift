import EmporiumCore
import Foundation
import Hummingbird

/// `/platform/tenants`: operators create, list, inspect, change and delete shops.
struct PlatformTenantController {
    let tenants: TenantService

    func addRoutes(to group: RouterGroup<PlatformRequestContext>) {
        group.post("tenants", use: create)
            .get("tenants", use: list)
            .get("tenants/{id}", use: show)
            .patch("tenants/{id}", use: update)
            .delete("tenants/{id}", use: delete)
    }

    struct CreateRequest: Decodable {
        let name: String
        let subdomain: String
        let domain: String?
        let plan: String?
        let settings: [String: JSONValue]?
    }

    /// Every field optional; `"domain": null` removes the custom domain.
    struct UpdateRequest: Decodable {
        let patch: TenantPatch

        enum CodingKeys: String, CodingKey { case name, subdomain, domain, plan, status, settings }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            var patch = TenantPatch()
            patch.name = try container.decodeIfPresent(String.self, forKey: .name)
            patch.subdomain = try container.decodeIfPresent(String.self, forKey: .subdomain)
            if container.contains(.domain) {
                patch.domain = .some(try container.decodeNil(forKey: .domain) ? nil : try container.decode(String.self, forKey: .domain))
            }
            patch.plan = try container.decodeIfPresent(String.self, forKey: .plan)
            patch.status = try container.decodeIfPresent(TenantStatus.self, forKey: .status)
            patch.settings = try container.decodeIfPresent([String: JSONValue?].self, forKey: .settings)
            self.patch = patch
        }
    }

    struct DeleteAnswer: Encodable, Sendable {
        let id: String
        let archive: String
    }

    @Sendable func create(_ request: Request, context: PlatformRequestContext) async throws -> EditedResponse<Envelope<TenantDTO>> {
        let input = try await request.decodeJSON(as: CreateRequest.self, context: context)
        let tenant = try await tenants.create(NewTenant(
            name: input.name, subdomain: input.subdomain, domain: input.domain, plan: input.plan, settings: input.settings
        ))
        return EditedResponse(status: .created, response: Envelope(TenantDTO(tenant)))
    }

    @Sendable func list(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<PagedList<TenantDTO>> {
        let query = request.uri.queryParameters
        let page = try query.page()
        let status = try query.option(TenantStatus.self, "status")
        let result = try await tenants.list(status: status, page: page)
        return Envelope(PagedList(key: "tenants", items: result.tenants.map(TenantDTO.init), pagination: Pagination(page, total: result.total)))
    }

    @Sendable func show(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<TenantDTO> {
        Envelope(TenantDTO(try await tenants.find(try context.parameters.require("id"))))
    }

    @Sendable func update(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<TenantDTO> {
        let input = try await request.decodeJSON(as: UpdateRequest.self, context: context)
        return Envelope(TenantDTO(try await tenants.update(try context.parameters.require("id"), with: input.patch)))
    }

    @Sendable func delete(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<DeleteAnswer> {
        let result = try await tenants.delete(try context.parameters.require("id"))
        return Envelope(DeleteAnswer(id: result.tenant.id.uuidString.lowercased(), archive: result.archive))
    }
}
