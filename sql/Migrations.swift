// The schema, compiled into the binary: SwiftPM's `.embedInCode` turns each .sql file listed in
// Package.swift into a `PackageResources` byte array. A test fails when a file in this folder is
// missing from these lists, so a migration cannot be forgotten.

/// One schema step, applied once per database and recorded under its identifier.
public struct SQLMigration: Sendable {
    /// The file name without `.sql`, e.g. `0001_create_tenants_and_operators`. Never renamed once shipped.
    public let identifier: String
    public let sql: String

    init(_ identifier: String, _ bytes: [UInt8]) {
        self.identifier = identifier
        self.sql = String(decoding: bytes, as: UTF8.self)
    }
}

/// The migrations of both kinds of database, in the order they apply.
public enum SchemaMigrations {
    /// `sql/system/`: the system database (tenants, platform operators).
    public static let system: [SQLMigration] = [
        SQLMigration("0001_create_tenants_and_operators", PackageResources._001_create_tenants_and_operators_sql),
        SQLMigration("0002_create_system_meta", PackageResources._002_create_system_meta_sql),
        SQLMigration("0003_operator_sign_in_addresses", PackageResources._003_operator_sign_in_addresses_sql),
        SQLMigration("0004_operator_two_factor", PackageResources._004_operator_two_factor_sql),
        SQLMigration("0005_tenants_listing_order", PackageResources._005_tenants_listing_order_sql),
    ]

    /// `sql/tenant/`: every shop's own database.
    public static let tenant: [SQLMigration] = [
        SQLMigration("0001_create_users_audit_config", PackageResources._001_create_users_audit_config_sql),
        SQLMigration("0002_create_catalog", PackageResources._002_create_catalog_sql),
        SQLMigration("0003_create_refresh_tokens", PackageResources._003_create_refresh_tokens_sql),
        SQLMigration("0004_commerce", PackageResources._004_commerce_sql),
        SQLMigration("0005_shop_identity", PackageResources._005_shop_identity_sql),
        SQLMigration("0006_analytics_indexes", PackageResources._006_analytics_indexes_sql),
        SQLMigration("0007_sign_in_addresses", PackageResources._007_sign_in_addresses_sql),
        SQLMigration("0008_checkout", PackageResources._008_checkout_sql),
        SQLMigration("0009_payments", PackageResources._009_payments_sql),
        SQLMigration("0010_variants", PackageResources._010_variants_sql),
        SQLMigration("0011_product_images", PackageResources._011_product_images_sql),
        SQLMigration("0012_two_factor", PackageResources._012_two_factor_sql),
        SQLMigration("0013_product_facets", PackageResources._013_product_facets_sql),
        SQLMigration("0014_variant_rollup_writes_less", PackageResources._014_variant_rollup_writes_less_sql),
        SQLMigration("0015_outbox_and_mail", PackageResources._015_outbox_and_mail_sql),
        SQLMigration("0016_retired_slugs", PackageResources._016_retired_slugs_sql),
        SQLMigration("0017_search_vocabulary", PackageResources._017_search_vocabulary_sql),
        SQLMigration("0018_search_appearance", PackageResources._018_search_appearance_sql),
        SQLMigration("0019_shop_pages", PackageResources._019_shop_pages_sql),
    ]
}
