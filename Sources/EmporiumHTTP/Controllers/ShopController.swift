import Foundation
import EmporiumCore
import Hummingbird

/// `GET /shop`: the public face of the resolved shop (name, currency, the ways to pay it has set
/// up), which the storefront reads first. It is also the simplest route that proves tenant resolution.
struct ShopController {
    let payments: PaymentService
    let shopPages: ShopPageService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("shop", use: show)
    }

    struct ShopDTO: Encodable, Sendable {
        let id: String
        let name: String
        let subdomain: String
        let domain: String?
        let currency: String
        let paymentMethods: [PaymentMethodDTO]
        @NullWhenAbsent var description: String?
        @NullWhenAbsent var accentColor: String?
        /// The shop's own pages, for a footer: `{slug, title}` in footer order.
        let pages: [[String: String]]
    }

    struct PaymentMethodDTO: Encodable, Sendable {
        let id: String
        let label: String
        let instructions: String?
    }

    @Sendable func show(_ request: Request, context: TenantRequestContext) async throws -> Envelope<ShopDTO> {
        let tenant = context.tenant
        let face = try await shopPages.face(in: tenant.id)
        return Envelope(ShopDTO(
            id: tenant.id.uuidString.lowercased(), name: tenant.name, subdomain: tenant.subdomain, domain: tenant.domain, currency: tenant.currency,
            paymentMethods: try await payments.offeredMethods(in: tenant.id).map { PaymentMethodDTO(id: $0.id, label: $0.label, instructions: $0.instructions) },
            description: face.description, accentColor: face.accentColor,
            pages: try await shopPages.pages(in: tenant.id).map { ["slug": $0.slug, "title": $0.title] }
        ))
    }
}
