import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `categories`.
struct CategoryRecord: StoredRecord {
    static let databaseTableName = "categories"

    var id: UUID
    var name: String
    var slug: String
    var parentID: UUID?
    var seoTitle: String?
    var seoDescription: String?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, slug
        case parentID = "parent_id", seoTitle = "seo_title", seoDescription = "seo_description", createdAt = "created_at", updatedAt = "updated_at"
    }

    var category: Category {
        Category(id: id, name: name, slug: slug, parentID: parentID, seo: SearchAppearance(title: seoTitle, description: seoDescription),
                 createdAt: createdAt, updatedAt: updatedAt)
    }
}

extension CategoryRecord {
    init(_ category: Category) {
        (id, name, slug, parentID, createdAt, updatedAt) = (category.id, category.name, category.slug, category.parentID, category.createdAt,
                                                            category.updatedAt)
        (seoTitle, seoDescription) = (category.seo.title, category.seo.description)
    }
}

/// A row of a shop's `retired_slugs`: an address a product or category no longer answers to.
struct RetiredSlugRecord: StoredRecord {
    static let databaseTableName = "retired_slugs"

    var kind: SlugKind
    var slug: String
    var targetID: UUID
    var retiredAt: Date

    enum CodingKeys: String, CodingKey {
        case kind, slug
        case targetID = "target_id", retiredAt = "retired_at"
    }

    enum Columns {
        static let kind = Column(CodingKeys.kind)
        static let slug = Column(CodingKeys.slug)
    }
}
