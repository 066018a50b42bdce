import EmporiumCore
import Foundation
import Hummingbird

/// `/users`: staff with `users:read` / `users:write` manage the shop's accounts, and answer a
/// customer's GDPR requests (`{id}/export`, `{id}/erase`; docs/security/gdpr.md).
struct UserController {
    let users: UserService
    let privacy: PersonalDataService
    let twoFactor: TwoFactorService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get(use: list)
            .post(use: create)
            .get("{id}", use: show)
            .patch("{id}", use: update)
            .delete("{id}", use: delete)
            .get("{id}/export", use: export)
            .post("{id}/erase", use: erase)
            .delete("{id}/two-factor", use: resetTwoFactor)
    }

    struct CreateRequest: Decodable {
        let email: String
        let password: String
        let firstName: String
        let lastName: String
        let role: Role
        let permissions: [String]?
    }

    struct UpdateRequest: Decodable {
        let email: String?
        let password: String?
        let firstName: String?
        let lastName: String?
        let role: Role?
        let permissions: [String]?
    }

    @Sendable func list(_ request: Request, context: TenantRequestContext) async throws -> Envelope<PagedList<UserDTO>> {
        let actor = try context.require(.usersRead)
        let query = request.uri.queryParameters
        let page = try query.page()
        let role = try query.option(Role.self, "role")
        let result = try await users.list(in: context.tenant.id, search: query["search"].map(String.init), role: role, page: page, by: actor)
        return Envelope(PagedList(key: "users", items: result.users.map(UserDTO.init), pagination: Pagination(page, total: result.total)))
    }

    @Sendable func show(_ request: Request, context: TenantRequestContext) async throws -> Envelope<UserDTO> {
        let actor = try context.require(.usersRead)
        return Envelope(UserDTO(try await users.get(in: context.tenant.id, id: try userID(context), by: actor)))
    }

    @Sendable func create(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<UserDTO>> {
        let actor = try context.require(.usersWrite)
        let input = try await request.decodeJSON(as: CreateRequest.self, context: context)
        let user = try await users.create(in: context.tenant.id, .init(
            email: input.email, password: input.password, firstName: input.firstName, lastName: input.lastName, role: input.role,
            permissions: input.permissions ?? []
        ), by: actor)
        return EditedResponse(status: .created, response: Envelope(UserDTO(user)))
    }

    @Sendable func update(_ request: Request, context: TenantRequestContext) async throws -> Envelope<UserDTO> {
        let actor = try context.require(.usersWrite)
        let input = try await request.decodeJSON(as: UpdateRequest.self, context: context)
        let user = try await users.update(in: context.tenant.id, id: try userID(context), .init(
            email: input.email, password: input.password, firstName: input.firstName, lastName: input.lastName, role: input.role,
            permissions: input.permissions
        ), by: actor)
        return Envelope(UserDTO(user))
    }

    @Sendable func delete(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: String]> {
        let actor = try context.require(.usersWrite)
        let id = try userID(context)
        try await users.delete(in: context.tenant.id, id: id, by: actor)
        return Envelope(["id": id.lowercased])
    }

    @Sendable func export(_ request: Request, context: TenantRequestContext) async throws -> Envelope<CustomerDataDTO> {
        let actor = try context.require(.usersRead)
        let data = try await privacy.export(in: context.tenant.id, userID: try userID(context), by: actor)
        return Envelope(CustomerDataDTO(data, shop: context.tenant))
    }

    @Sendable func erase(_ request: Request, context: TenantRequestContext) async throws -> Envelope<ErasureDTO> {
        let actor = try context.require(.usersWrite)
        let report = try await privacy.erase(in: context.tenant.id, userID: try userID(context), by: actor)
        return Envelope(ErasureDTO(report))
    }

    /// Someone lost their phone and their recovery codes: their second factor goes, and so do their sessions.
    @Sendable func resetTwoFactor(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: String]> {
        let actor = try context.require(.usersWrite)
        let id = try userID(context)
        try await twoFactor.reset(in: context.tenant.id, userID: id, by: actor)
        return Envelope(["id": id.lowercased])
    }

    private func userID(_ context: TenantRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw DomainError.notFound("No such user") }
        return id
    }
}
