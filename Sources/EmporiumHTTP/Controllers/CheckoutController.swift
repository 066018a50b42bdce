import EmporiumCore
import Foundation
import Hummingbird

/// What checkout requests carry besides items: the shared part of `POST /checkout/quote` and
/// `POST /orders`.
struct CheckoutChoicesRequest: Decodable {
    let shippingAddress: PostalAddress?
    let shippingAddressId: String?
    let billingAddress: PostalAddress?
    let shippingMethodId: String?
    let couponCode: String?

    var choices: CheckoutChoices {
        CheckoutChoices(shippingAddress: shippingAddress, shippingAddressID: shippingAddressId, billingAddress: billingAddress,
                        shippingMethodID: shippingMethodId, couponCode: couponCode)
    }
}

/// `POST /checkout/quote`: the signed-in customer's cart (or the given items) priced for their
/// address, shipping method and coupon, with every shipping option the address has.
struct CheckoutController {
    let checkout: CheckoutService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.post("checkout/quote", use: quote)
    }

    struct QuoteRequest: Decodable {
        let items: [OrderController.CreateRequest.Item]?
        let choices: CheckoutChoicesRequest

        enum CodingKeys: String, CodingKey { case items }

        init(from decoder: any Decoder) throws {
            items = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent([OrderController.CreateRequest.Item].self, forKey: .items)
            choices = try CheckoutChoicesRequest(from: decoder)
        }
    }

    @Sendable func quote(_ request: Request, context: TenantRequestContext) async throws -> Envelope<QuoteDTO> {
        let user = try context.requireUser()
        let input = try await request.decodeJSON(as: QuoteRequest.self, context: context)
        let quote = try await checkout.quote(in: context.tenant.id, userID: user.id, items: input.items?.map(\.request),
                                             choices: input.choices.choices)
        return Envelope(QuoteDTO(quote, currency: context.tenant.currency))
    }
}
