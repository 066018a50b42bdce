import EmporiumCore
import Foundation
import Hummingbird

/// `/discounts`: coupon codes and automatic promotions, for staff with `products:write`.
struct DiscountController {
    let discounts: DiscountService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("discounts", use: list)
            .post("discounts", use: create)
            .get("discounts/{id}", use: show)
            .put("discounts/{id}", use: replace)
            .delete("discounts/{id}", use: delete)
    }

    @Sendable func list(_ request: Request, context: TenantRequestContext) async throws -> Envelope<PagedList<DiscountDTO>> {
        let actor = try context.require(.productsWrite)
        let page = try request.uri.queryParameters.page()
        let result = try await discounts.list(in: context.tenant.id, page: page, by: actor)
        let currency = context.tenant.currency
        return Envelope(PagedList(key: "discounts", items: result.discounts.map { DiscountDTO($0, currency: currency) },
                                  pagination: Pagination(page, total: result.total)))
    }

    @Sendable func show(_ request: Request, context: TenantRequestContext) async throws -> Envelope<DiscountDTO> {
        let actor = try context.require(.productsWrite)
        return Envelope(DiscountDTO(try await discounts.get(in: context.tenant.id, id: try context.parameters.require("id"), by: actor),
                                    currency: context.tenant.currency))
    }

    @Sendable func create(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<DiscountDTO>> {
        let actor = try context.require(.productsWrite)
        let input = try await request.decodeJSON(as: DiscountInput.self, context: context)
        let discount = try await discounts.create(in: context.tenant.id, input, exponent: context.tenant.currencyExponent, by: actor)
        return EditedResponse(status: .created, response: Envelope(DiscountDTO(discount, currency: context.tenant.currency)))
    }

    @Sendable func replace(_ request: Request, context: TenantRequestContext) async throws -> Envelope<DiscountDTO> {
        let actor = try context.require(.productsWrite)
        let input = try await request.decodeJSON(as: DiscountInput.self, context: context)
        let discount = try await discounts.replace(in: context.tenant.id, id: try context.parameters.require("id"), input,
                                                   exponent: context.tenant.currencyExponent, by: actor)
        return Envelope(DiscountDTO(discount, currency: context.tenant.currency))
    }

    @Sendable func delete(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: String]> {
        let actor = try context.require(.productsWrite)
        let id = try context.parameters.require("id")
        try await discounts.delete(in: context.tenant.id, id: id, by: actor)
        return Envelope(["id": id])
    }
}
