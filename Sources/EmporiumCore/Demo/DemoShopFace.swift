import Foundation

/// The demo shop's own face, so `serve --demo` looks like a shop with a name to put on it: a
/// description, an accent colour, and the footer pages a real shop has (filled in, not lorem ipsum).
public enum DemoShopFace {
    public static let description = "Useful things for home, kitchen and outdoors, picked to last and shipped within two working days."
    public static let accentColor = "#1d6b57"

    public static let pages: [(slug: String, title: String, body: String)] = [
        ("about", "About us", """
            We are a small team who got tired of things that break after a season. Everything in this
            shop is something we use ourselves: the mugs on our desks, the jackets on our hooks.

            - **Picked to last**: we only sell what we would buy again.
            - **Fair prices**: no invented "was" prices, ever.
            - **Real people**: write to us and one of us answers, usually the same day.
            """),
        ("shipping-and-returns", "Shipping & returns", """
            # Shipping

            Orders placed before 2 pm leave the same working day. **Standard** delivery takes 2–4 working
            days and is free above 75; **Express** arrives the next working day.

            # Returns

            Changed your mind? Send anything back unused within **30 days** for a full refund. Write to
            [returns@demo.example](mailto:returns@demo.example) with your order number and we send a label.
            """),
        ("privacy", "Privacy", """
            We keep what we need to deliver your order and answer your questions: your name, address,
            e-mail and what you bought. We never sell it and never share it beyond the carrier.

            You can download everything we hold about you from your account, or ask us to erase it.
            """),
        ("terms", "Terms", """
            1. Prices include the taxes shown at checkout.
            2. Your order is confirmed when we e-mail you; the contract is made then.
            3. If an item turns out faulty within two years, we repair, replace or refund it.
            """),
        ("contact", "Contact", """
            E-mail [hello@demo.example](mailto:hello@demo.example) or call [+1 555 0100](tel:+15550100),
            weekdays 9–17. Emporium Demo Shop, 1 Example Street, Springfield.
            """),
    ]

    /// Writes the face and the pages once; returns false when the shop already has pages.
    @discardableResult
    public static func seed(pages service: ShopPageService, settings: SettingsService, storage: any TenantStorage, tenantID: UUID) async throws -> Bool {
        guard try await storage.read(tenantID, { tx in try tx.shopPages.pages().isEmpty }) else { return false }
        _ = try await settings.put(in: tenantID, key: ShopFace.descriptionKey, value: .string(description), encrypted: false, by: .commandLine)
        _ = try await settings.put(in: tenantID, key: ShopFace.accentColorKey, value: .string(accentColor), encrypted: false, by: .commandLine)
        for (position, page) in pages.enumerated() {
            _ = try await service.put(in: tenantID, slug: page.slug, title: page.title, body: page.body, position: position + 1, by: .commandLine)
        }
        return true
    }
}
