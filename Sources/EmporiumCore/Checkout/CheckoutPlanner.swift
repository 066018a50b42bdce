import Foundation

/// Turns a cart and the customer's choices into a priced checkout, inside the caller's
/// transaction: the quote reads with it, and placing an order runs it in the same write
/// transaction that reserves the stock and counts the coupon's use, so what was priced is what
/// is charged.
enum CheckoutPlanner {
    /// The shop setting that says whether catalog prices include tax (default false).
    static let pricesIncludeTaxKey = "tax.pricesIncludeTax"

    /// `PUT /settings/tax.pricesIncludeTax` takes only true or false, unencrypted.
    static func validate(key: String, value: JSONValue, encrypted: Bool) throws {
        guard key == pricesIncludeTaxKey else { return }
        guard !encrypted, case .bool = value else { throw DomainError.invalid("value", "\(key) must be true or false") }
    }

    /// What a checkout needs to know about the shop and the customer's choices: the shop-wide part
    /// from the cached `CheckoutSetup`, the address, coupon and promotions read in the checkout's
    /// own transaction (a handful of index lookups on the writer's warm pages).
    struct Context: Sendable {
        var shippingAddress: PostalAddress?
        var billingAddress: PostalAddress?
        var zone: ShippingZone?
        var shopShips: Bool
        var taxRate: TaxRate?
        var pricesIncludeTax: Bool
        var promotions: [Discount]
        var coupon: Discount?
    }

    static func context(_ tx: any TenantTransaction, setup: CheckoutSetup, choices: CheckoutChoices, customerID: UUID?) throws -> Context {
        let shippingAddress = try address(tx, choices: choices, customerID: customerID)
        let billingAddress = try choices.billingAddress.map { try $0.validated(field: "billingAddress") } ?? shippingAddress
        let zone = shippingAddress.flatMap { setup.zone(country: $0.country) }
        let destination = shippingAddress ?? billingAddress
        let taxRate = destination.flatMap { setup.taxRates.rate(country: $0.country, region: $0.region) }
        var coupon: Discount?
        if let raw = choices.couponCode {
            let code = Discount.normalizedCode(raw)
            guard !code.isEmpty, code.count <= 64, let found = try tx.discounts.discount(code: code) else {
                throw DomainError.invalid("couponCode", "is not a code of this shop")
            }
            coupon = found
        }
        return Context(shippingAddress: shippingAddress, billingAddress: billingAddress, zone: zone, shopShips: !setup.zones.isEmpty, taxRate: taxRate,
                       pricesIncludeTax: setup.pricesIncludeTax, promotions: try tx.discounts.automatic(), coupon: coupon)
    }

    /// `forOrder`: an order must name a shipping method when the shop ships to the address, and
    /// needs an address when the shop has shipping zones; a quote answers the options instead.
    static func plan(_ tx: any TenantTransaction, context: Context, lines: [PricingLine], choices: CheckoutChoices, customerID: UUID?,
                     at moment: Date, forOrder: Bool) throws -> CheckoutPlan {
        let discounts = try self.discounts(tx, context: context, lines: lines, customerID: customerID, at: moment)
        // Shipping is priced on the discounted goods: "free above 50" means 50 after the coupon.
        let beforeShipping = CheckoutPricing.price(lines, discounts: discounts, shippingMinor: nil, taxRate: nil, pricesIncludeTax: context.pricesIncludeTax)
        let goods = beforeShipping.totals.subtotalMinor - beforeShipping.totals.discountMinor
        let grams = lines.reduce(0) { $0.addingSaturated($1.gramsEach.multipliedSaturated(by: $1.quantity)) }

        var options: [ShippingOption] = []
        var chosen: ShippingOption?
        if let shippingAddress = context.shippingAddress {
            if let zone = context.zone {
                options = [zone].options(country: shippingAddress.country, grams: grams, goodsMinor: goods)
                if options.isEmpty, forOrder {
                    throw DomainError.invalid("shippingMethodId", "no shipping method of this shop takes a parcel of \(grams) g")
                }
            } else if context.shopShips {
                throw DomainError.invalid("shippingAddress.country", "this shop does not ship to \(shippingAddress.country)")
            }
            if let raw = choices.shippingMethodID {
                guard let id = UUID(uuidString: raw), let option = options.first(where: { $0.methodID == id }) else {
                    throw DomainError.invalid("shippingMethodId", "is not offered for this address: choose one of the shipping options")
                }
                chosen = option
            } else if forOrder, !options.isEmpty {
                throw DomainError.invalid("shippingMethodId", "is required: choose one of the shipping options for this address")
            }
        } else if forOrder, context.shopShips {
            throw DomainError.invalid("shippingAddress", "is required: this shop ships its orders")
        } else if choices.shippingMethodID != nil {
            throw DomainError.invalid("shippingAddress", "is required with a shipping method")
        }

        let pricing = CheckoutPricing.price(lines, discounts: discounts, shippingMinor: chosen?.priceMinor, taxRate: context.taxRate,
                                            pricesIncludeTax: context.pricesIncludeTax)
        let checkout = OrderCheckout(shippingAddress: context.shippingAddress, billingAddress: context.billingAddress, shipping: chosen,
                                     discounts: pricing.discounts, taxLines: pricing.taxLines)
        let applied = Set(pricing.discounts.map(\.discountID))
        return CheckoutPlan(pricing: pricing, checkout: checkout, shippingOptions: options, redeemable: discounts.filter { applied.contains($0.id) })
    }

    static func address(_ tx: any TenantTransaction, choices: CheckoutChoices, customerID: UUID?) throws -> PostalAddress? {
        if let given = choices.shippingAddress { return try given.validated(field: "shippingAddress") }
        guard let raw = choices.shippingAddressID else { return nil }
        guard let customerID, let id = UUID(uuidString: raw), let saved = try tx.addresses.address(id: id, userID: customerID) else {
            throw DomainError.invalid("shippingAddressId", "is not one of your saved addresses")
        }
        return saved.address
    }

    /// The automatic promotions that fit, oldest first, then the coupon. A coupon that does not
    /// fit is an error naming why; a promotion that does not fit is simply left out. Per-customer
    /// uses are counted here, inside the caller's transaction.
    static func discounts(_ tx: any TenantTransaction, context: Context, lines: [PricingLine], customerID: UUID?, at moment: Date) throws -> [Discount] {
        let subtotal = lines.reduce(0) { $0.addingSaturated($1.baseMinor) }
        func uses(_ discount: Discount) throws -> Int {
            guard discount.perCustomerLimit != nil, let customerID else { return 0 }
            return try tx.discounts.uses(discountID: discount.id, customerID: customerID)
        }
        var chosen = try context.promotions.filter { promotion in
            try promotion.refusal(at: moment, customerUses: uses(promotion)) == nil && subtotal >= promotion.minimumSubtotalMinor
                && lines.contains(where: promotion.applies)
        }
        if let discount = context.coupon {
            let code = discount.code ?? ""
            if let reason = try discount.refusal(at: moment, customerUses: uses(discount)) {
                if discount.usageLimit.map({ discount.usedCount >= $0 }) == true { throw DomainError.conflict("The code \(code) \(reason)") }
                throw DomainError.invalid("couponCode", reason)
            }
            guard subtotal >= discount.minimumSubtotalMinor else {
                throw DomainError.invalid("couponCode", "needs goods worth at least \(discount.minimumSubtotalMinor) minor units")
            }
            guard lines.contains(where: discount.applies) else { throw DomainError.invalid("couponCode", "applies to none of these products") }
            chosen.append(discount)
        }
        return chosen
    }
}
