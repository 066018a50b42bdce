import EmporiumCore
import Foundation
import Hummingbird

/// `/cart`: the signed-in user's cart, priced server-side.
struct CartController {
    let carts: CartService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("cart", use: show)
            .post("cart/items", use: add)
            .patch("cart/items/{itemId}", use: update)
            .delete("cart/items/{itemId}", use: remove)
    }

    struct AddRequest: Decodable {
        let productId: String
        let variantId: String?
        let quantity: Int
    }

    struct QuantityRequest: Decodable {
        let quantity: Int
    }

    @Sendable func show(_ request: Request, context: TenantRequestContext) async throws -> Envelope<CartDTO> {
        let user = try context.requireUser()
        return Envelope(CartDTO(try await carts.cart(in: context.tenant.id, userID: user.id), currency: context.tenant.currency))
    }

    @Sendable func add(_ request: Request, context: TenantRequestContext) async throws -> Envelope<CartDTO> {
        let user = try context.requireUser()
        let input = try await request.decodeJSON(as: AddRequest.self, context: context)
        guard CartService.quantityRange.contains(input.quantity) else { throw DomainError.invalid("quantity", "must be from 1 to 999") }
        let lines = try await carts.add(in: context.tenant.id, userID: user.id, productID: input.productId, variantID: input.variantId,
                                      quantity: input.quantity)
        return Envelope(CartDTO(lines, currency: context.tenant.currency))
    }

    @Sendable func update(_ request: Request, context: TenantRequestContext) async throws -> Envelope<CartDTO> {
        let user = try context.requireUser()
        let input = try await request.decodeJSON(as: QuantityRequest.self, context: context)
        let lines = try await carts.set(in: context.tenant.id, userID: user.id, itemID: try context.parameters.require("itemId"),
                                        quantity: input.quantity)
        return Envelope(CartDTO(lines, currency: context.tenant.currency))
    }

    @Sendable func remove(_ request: Request, context: TenantRequestContext) async throws -> Envelope<CartDTO> {
        let user = try context.requireUser()
        let lines = try await carts.remove(in: context.tenant.id, userID: user.id, itemID: try context.parameters.require("itemId"))
        return Envelope(CartDTO(lines, currency: context.tenant.currency))
    }
}
