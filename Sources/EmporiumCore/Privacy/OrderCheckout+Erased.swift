import Foundation

extension PostalAddress {
    /// What an erased customer's order keeps of an address: the country and region, which decided
    /// its tax and shipping and which the shop's accounts need; nothing that points at a person.
    var erased: PostalAddress {
        PostalAddress(name: PostalAddress.erasedName, line1: "", city: "", region: region, country: country)
    }

    /// Shown where the name was, on the order, its invoice and its packing slip.
    public static let erasedName = "Erased customer"
}

extension OrderCheckout {
    /// The order's checkout with its addresses anonymised; shipping, discounts and tax unchanged.
    var erased: OrderCheckout {
        var copy = self
        copy.shippingAddress = shippingAddress?.erased
        copy.billingAddress = billingAddress?.erased
        return copy
    }
}
