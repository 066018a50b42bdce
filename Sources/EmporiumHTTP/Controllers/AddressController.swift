import EmporiumCore
import Foundation
import Hummingbird

/// `/addresses`: the signed-in user's own address book.
struct AddressController {
    let addresses: AddressBookService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("addresses", use: list)
            .post("addresses", use: add)
            .put("addresses/{id}", use: replace)
            .delete("addresses/{id}", use: delete)
    }

    @Sendable func list(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: [SavedAddressDTO]]> {
        let user = try context.requireUser()
        return Envelope(["addresses": try await addresses.list(in: context.tenant.id, userID: user.id).map(SavedAddressDTO.init)])
    }

    @Sendable func add(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<SavedAddressDTO>> {
        let user = try context.requireUser()
        let input = try await request.decodeJSON(as: PostalAddress.self, context: context)
        return EditedResponse(status: .created, response: Envelope(SavedAddressDTO(try await addresses.add(in: context.tenant.id, userID: user.id, input))))
    }

    @Sendable func replace(_ request: Request, context: TenantRequestContext) async throws -> Envelope<SavedAddressDTO> {
        let user = try context.requireUser()
        let input = try await request.decodeJSON(as: PostalAddress.self, context: context)
        return Envelope(SavedAddressDTO(try await addresses.replace(in: context.tenant.id, userID: user.id, id: try context.parameters.require("id"), input)))
    }

    @Sendable func delete(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: String]> {
        let user = try context.requireUser()
        let id = try context.parameters.require("id")
        try await addresses.delete(in: context.tenant.id, userID: user.id, id: id)
        return Envelope(["id": id])
    }
}
