// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "emporium",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "emporium", targets: ["Emporium"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink.git", from: "0.6.0"),
    ],
    targets: [
        .executableTarget(
            name: "Emporium",
            dependencies: [
                "EmporiumCore", "EmporiumSQLite", "EmporiumHTTP", "EmporiumObservability", "EmporiumImaging", "EmporiumSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EmporiumCore",
            dependencies: [
                "EmporiumSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The SQL migrations, compiled into the binary (DESIGN.md §1).
        .target(
            name: "EmporiumSchema",
            path: "sql",
            exclude: ["README.md"],
            resources: [
                .embedInCode("system/0001_create_tenants_and_operators.sql"),
                .embedInCode("system/0002_create_system_meta.sql"),
                .embedInCode("system/0003_operator_sign_in_addresses.sql"),
                .embedInCode("system/0004_operator_two_factor.sql"),
                .embedInCode("system/0005_tenants_listing_order.sql"),
                .embedInCode("tenant/0001_create_users_audit_config.sql"),
                .embedInCode("tenant/0002_create_catalog.sql"),
                .embedInCode("tenant/0003_create_refresh_tokens.sql"),
                .embedInCode("tenant/0004_commerce.sql"),
                .embedInCode("tenant/0005_shop_identity.sql"),
                .embedInCode("tenant/0006_analytics_indexes.sql"),
                .embedInCode("tenant/0007_sign_in_addresses.sql"),
                .embedInCode("tenant/0008_checkout.sql"),
                .embedInCode("tenant/0009_payments.sql"),
                .embedInCode("tenant/0010_variants.sql"),
                .embedInCode("tenant/0011_product_images.sql"),
                .embedInCode("tenant/0012_two_factor.sql"),
                .embedInCode("tenant/0013_product_facets.sql"),
                .embedInCode("tenant/0014_variant_rollup_writes_less.sql"),
                .embedInCode("tenant/0015_outbox_and_mail.sql"),
                .embedInCode("tenant/0016_retired_slugs.sql"),
                .embedInCode("tenant/0017_search_vocabulary.sql"),
                .embedInCode("tenant/0018_search_appearance.sql"),
                .embedInCode("tenant/0019_shop_pages.sql"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EmporiumSQLite",
            dependencies: [
                "EmporiumCore", "EmporiumSchema", "EmporiumSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EmporiumHTTP",
            dependencies: [
                "EmporiumCore", "EmporiumObservability", "EmporiumImaging", "EmporiumMail",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Ink", package: "Ink"),
            ],
            resources: [
                .embedInCode("OpenAPI/openapi.json"),
                .embedInCode("Web/assets/app.css"),
                .embedInCode("Web/assets/api.js"),
                .embedInCode("Web/assets/dom.js"),
                .embedInCode("Web/assets/charts.js"),
                .embedInCode("Web/assets/feedback.js"),
                .embedInCode("Web/assets/admin-checkout.js"),
                .embedInCode("Web/assets/admin-variants.js"),
                .embedInCode("Web/assets/admin-images.js"),
                .embedInCode("Web/assets/admin-security.js"),
                .embedInCode("Web/assets/admin-mail.js"),
                .embedInCode("Web/assets/admin-pages.js"),
                .embedInCode("Web/assets/admin.js"),
                .embedInCode("Web/assets/shop.js"),
                .embedInCode("Web/assets/storefront.js"),
                .embedInCode("Web/assets/admin.html"),
                .embedInCode("Web/assets/shop.html"),
                .embedInCode("Storefront/templates/layout.mustache"),
                .embedInCode("Storefront/templates/card.mustache"),
                .embedInCode("Storefront/templates/home.mustache"),
                .embedInCode("Storefront/templates/listing.mustache"),
                .embedInCode("Storefront/templates/product.mustache"),
                .embedInCode("Storefront/templates/error.mustache"),
                .embedInCode("Storefront/templates/page.mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Mail transports: a small SMTP submission client on SwiftNIO and NIOSSL, and sendmail.
        .target(
            name: "EmporiumMail",
            dependencies: [
                "EmporiumCore", "EmporiumSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        /// libvips for decoding and resizing product images: a system library, `libvips-dev` to build.
        .systemLibrary(
            name: "CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]
        ),
        /// `ImageProcessor` on libvips, kept out of the core like storage and HTTP are.
        .target(
            name: "EmporiumImaging",
            dependencies: ["CVips", "EmporiumCore"],
            swiftSettings: swiftSettings
        ),
        /// Tools beneath every other target, none of them about commerce or observability: starting
        /// programs, gzip, UTC time text, JSON string escaping (PocketBase keeps such code in `tools/`).
        .target(
            name: "EmporiumSupport",
            dependencies: ["CZlib"],
            swiftSettings: swiftSettings
        ),
        /// zlib for gzip (rotated logs, backups): a system library, `zlib1g-dev` to build.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "EmporiumObservability",
            dependencies: [
                "EmporiumSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // Where the tests' files go: one folder per test process, removed at exit.
        .target(name: "TestScratch", path: "Tests/TestScratch"),
        .testTarget(
            name: "EmporiumCoreTests",
            dependencies: ["EmporiumCore", "EmporiumSupport", "TestScratch"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EmporiumSQLiteTests",
            dependencies: ["EmporiumSQLite", "EmporiumCore", "EmporiumSupport", "TestScratch", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EmporiumHTTPTests",
            dependencies: [
                "EmporiumHTTP", "EmporiumSQLite", "EmporiumCore", "EmporiumImaging", "EmporiumSupport", "TestScratch",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EmporiumMailTests",
            dependencies: ["EmporiumMail", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EmporiumObservabilityTests",
            dependencies: ["EmporiumObservability", "EmporiumSupport", "TestScratch"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EmporiumEndToEndTests",
            dependencies: ["EmporiumSupport", "TestScratch"],
            swiftSettings: swiftSettings
        ),
    ]
)
