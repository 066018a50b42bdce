import EmporiumCore
import Foundation
import Hummingbird

/// `/pages`: the shop's own pages (about, shipping and returns, terms…). Anyone reads them; staff
/// with `settings:write` write them in Markdown. The storefront serves them at `/pages/{slug}`.
struct ShopPageController {
    let shopPages: ShopPageService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get(use: list)
            .get("{slug}", use: show)
            .put("{slug}", use: put)
            .delete("{slug}", use: delete)
    }

    struct PageRequest: Decodable {
        let title: String
        let body: String
        let position: Decimal?
    }

    struct PageSummaryDTO: Encodable, Sendable {
        let slug: String
        let title: String
        let position: Int
        let updatedAt: Date
    }

    struct PageDTO: Encodable, Sendable {
        let slug: String
        let title: String
        /// Markdown, as written.
        let body: String
        /// The body as the storefront shows it.
        let html: String
        let position: Int
        let updatedAt: Date

        init(_ page: ShopPage) {
            (slug, title, body, html, position, updatedAt) = (page.slug, page.title, page.body, SafeMarkdown.html(page.body), page.position, page.updatedAt)
        }
    }

    @Sendable func list(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: [PageSummaryDTO]]> {
        let pages = try await shopPages.pages(in: context.tenant.id)
        return Envelope(["pages": pages.map { PageSummaryDTO(slug: $0.slug, title: $0.title, position: $0.position, updatedAt: $0.updatedAt) }])
    }

    @Sendable func show(_ request: Request, context: TenantRequestContext) async throws -> Envelope<PageDTO> {
        Envelope(PageDTO(try await shopPages.page(in: context.tenant.id, slug: try context.parameters.require("slug"))))
    }

    @Sendable func put(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<PageDTO>> {
        let actor = try context.require(.settingsWrite)
        let input = try await request.decodeJSON(as: PageRequest.self, context: context)
        let position = try CatalogController.wholeNumber(input.position, field: "position")
        let saved = try await shopPages.put(in: context.tenant.id, slug: try context.parameters.require("slug"), title: input.title, body: input.body,
                                            position: position, by: actor)
        return EditedResponse(status: saved.created ? .created : .ok, response: Envelope(PageDTO(saved.page)))
    }

    @Sendable func delete(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: String]> {
        let actor = try context.require(.settingsWrite)
        let slug = try context.parameters.require("slug")
        try await shopPages.delete(in: context.tenant.id, slug: slug, by: actor)
        return Envelope(["slug": slug])
    }
}
