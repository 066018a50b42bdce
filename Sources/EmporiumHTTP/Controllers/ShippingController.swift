import EmporiumCore
import Foundation
import Hummingbird

/// `/shipping-zones` and `/tax-rates`: where a shop ships, at what price, and the tax it charges.
struct ShippingAndTaxController {
    let shipping: ShippingService
    let tax: TaxService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("shipping-zones", use: zones)
            .post("shipping-zones", use: createZone)
            .put("shipping-zones/{id}", use: replaceZone)
            .delete("shipping-zones/{id}", use: deleteZone)
            .get("tax-rates", use: rates)
            .post("tax-rates", use: createRate)
            .put("tax-rates/{id}", use: replaceRate)
            .delete("tax-rates/{id}", use: deleteRate)
    }

    @Sendable func zones(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: [ShippingZoneDTO]]> {
        let actor = try context.require(.settingsRead)
        let currency = context.tenant.currency
        return Envelope(["zones": try await shipping.zones(in: context.tenant.id, by: actor).map { ShippingZoneDTO($0, currency: currency) }])
    }

    @Sendable func createZone(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<ShippingZoneDTO>> {
        let actor = try context.require(.settingsWrite)
        let input = try await request.decodeJSON(as: ShippingZoneInput.self, context: context)
        let zone = try await shipping.create(in: context.tenant.id, input, exponent: context.tenant.currencyExponent, by: actor)
        return EditedResponse(status: .created, response: Envelope(ShippingZoneDTO(zone, currency: context.tenant.currency)))
    }

    @Sendable func replaceZone(_ request: Request, context: TenantRequestContext) async throws -> Envelope<ShippingZoneDTO> {
        let actor = try context.require(.settingsWrite)
        let input = try await request.decodeJSON(as: ShippingZoneInput.self, context: context)
        let zone = try await shipping.replace(in: context.tenant.id, id: try context.parameters.require("id"), input,
                                              exponent: context.tenant.currencyExponent, by: actor)
        return Envelope(ShippingZoneDTO(zone, currency: context.tenant.currency))
    }

    @Sendable func deleteZone(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: String]> {
        let actor = try context.require(.settingsWrite)
        let id = try context.parameters.require("id")
        try await shipping.delete(in: context.tenant.id, id: id, by: actor)
        return Envelope(["id": id])
    }

    @Sendable func rates(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: [TaxRateDTO]]> {
        let actor = try context.require(.settingsRead)
        return Envelope(["taxRates": try await tax.rates(in: context.tenant.id, by: actor).map(TaxRateDTO.init)])
    }

    @Sendable func createRate(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<TaxRateDTO>> {
        let actor = try context.require(.settingsWrite)
        let input = try await request.decodeJSON(as: TaxRateInput.self, context: context)
        return EditedResponse(status: .created, response: Envelope(TaxRateDTO(try await tax.create(in: context.tenant.id, input, by: actor))))
    }

    @Sendable func replaceRate(_ request: Request, context: TenantRequestContext) async throws -> Envelope<TaxRateDTO> {
        let actor = try context.require(.settingsWrite)
        let input = try await request.decodeJSON(as: TaxRateInput.self, context: context)
        return Envelope(TaxRateDTO(try await tax.replace(in: context.tenant.id, id: try context.parameters.require("id"), input, by: actor)))
    }

    @Sendable func deleteRate(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: String]> {
        let actor = try context.require(.settingsWrite)
        let id = try context.parameters.require("id")
        try await tax.delete(in: context.tenant.id, id: id, by: actor)
        return Envelope(["id": id])
    }
}
