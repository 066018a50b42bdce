import EmporiumCore
import Foundation
import Hummingbird

/// `/settings`: the shop's own configuration. Encrypted values are stored sealed and shown masked.
struct SettingsController {
    let settings: SettingsService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get(use: list)
            .put("{key}", use: put)
            .delete("{key}", use: delete)
    }

    struct PutRequest: Decodable {
        let value: JSONValue
        let encrypted: Bool?
    }

    @Sendable func list(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: [SettingDTO]]> {
        let actor = try context.require(.settingsRead)
        return Envelope(["settings": try await settings.list(in: context.tenant.id, by: actor).map(SettingDTO.init)])
    }

    @Sendable func put(_ request: Request, context: TenantRequestContext) async throws -> Envelope<SettingDTO> {
        let actor = try context.require(.settingsWrite)
        let input = try await request.decodeJSON(as: PutRequest.self, context: context)
        let view = try await settings.put(in: context.tenant.id, key: try context.parameters.require("key"), value: input.value,
                                          encrypted: input.encrypted ?? false, by: actor)
        return Envelope(SettingDTO(view))
    }

    @Sendable func delete(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: String]> {
        let actor = try context.require(.settingsWrite)
        let key = try context.parameters.require("key")
        try await settings.delete(in: context.tenant.id, key: key, by: actor)
        return Envelope(["key": key])
    }
}
