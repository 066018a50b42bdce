import EmporiumCore
import EmporiumHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Who calls an operation in the access table.
enum Principal: String, CaseIterable, Sendable {
    case anonymous, customer, staff, manager, admin, owner
    /// The owner of another shop on this installation, presenting that shop's token to this one.
    case otherShopsOwner
    /// A platform operator, presenting the platform token.
    case platformOperator

    var role: Role? { Role(rawValue: rawValue) }
}

/// One operation of the OpenAPI document, as the access table calls it.
struct DocumentedOperation: Sendable, CustomTestStringConvertible {
    let id: String
    let method: HTTPRequest.Method
    let pathTemplate: String

    var testDescription: String { "\(method.rawValue) \(pathTemplate) (\(id))" }

    /// Every operation of `Sources/EmporiumHTTP/OpenAPI/openapi.json`, the document the server serves.
    static func all() -> [DocumentedOperation] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/EmporiumHTTP/OpenAPI/openapi.json").standardized
        guard let data = try? Data(contentsOf: file),
              let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let paths = document["paths"] as? [String: [String: Any]] else { return [] }
        return paths.sorted { $0.key < $1.key }.flatMap { path, operations in
            operations.sorted { $0.key < $1.key }.compactMap { method, operation -> DocumentedOperation? in
                guard let method = HTTPRequest.Method(method.uppercased()), let operation = operation as? [String: Any],
                      let id = operation["operationId"] as? String else { return nil }
                return DocumentedOperation(id: id, method: method, pathTemplate: path)
            }
        }
    }
}

/// Who may call an operation. The access layer either lets a principal through (whatever the
/// operation then answers: 200, 404 for an unknown id, 409 for a wrong state, 422 for the empty
/// body the table sends) or refuses it with 401 or 403 before the operation runs.
enum AccessRule: Sendable {
    /// Everyone, with or without a token of any kind (health, metrics, the document, platform sign-in).
    case anyone
    /// Anyone visiting the shop, signed in or not; a token of another shop or the platform is refused.
    case shopVisitor
    /// Any signed-in user of the shop, customers included (what is theirs is decided by the operation).
    case shopUser
    /// Signed-in users of the shop with one of these roles; other roles get 403.
    case shopRoles(Set<Role>)
    /// Platform operators only.
    case platform

    enum Outcome: Equatable, CustomStringConvertible {
        case through
        case refused(Int)

        var description: String {
            switch self {
            case .through: "let through"
            case .refused(let status): "refused with \(status)"
            }
        }
    }

    func outcome(for principal: Principal) -> Outcome {
        switch (self, principal) {
        case (.anyone, _): .through
        case (.platform, .platformOperator): .through
        case (.platform, _): .refused(401)
        // A token of another shop is refused on every shop route, a platform token is no shop token.
        case (_, .otherShopsOwner): .refused(403)
        case (_, .platformOperator): .refused(401)
        case (.shopVisitor, _): .through
        case (_, .anonymous): .refused(401)
        case (.shopUser, _): .through
        case (.shopRoles(let roles), _): principal.role.map(roles.contains) == true ? .through : .refused(403)
        }
    }

    static let managers: AccessRule = .shopRoles([.manager, .admin, .owner])
    static let admins: AccessRule = .shopRoles([.admin, .owner])
    /// `products:write`.
    static let catalogEditors: AccessRule = .shopRoles([.manager, .admin, .owner])
    /// `orders:write`.
    static let orderHandlers: AccessRule = .shopRoles([.staff, .manager, .admin, .owner])

    /// The rule of every documented operation, by `operationId`. A new operation fails the test
    /// until it has a row here.
    static let table: [String: AccessRule] = [
        "health": .anyone, "healthLive": .anyone, "healthReady": .anyone, "metrics": .anyone, "openapi": .anyone,
        "platformLogin": .anyone, "productImageRendition": .anyone,

        "getShop": .shopVisitor, "listShopPages": .shopVisitor, "getShopPage": .shopVisitor, "listCategories": .shopVisitor, "listProducts": .shopVisitor, "getProduct": .shopVisitor,
        "login": .shopVisitor, "register": .shopVisitor, "refresh": .shopVisitor, "logout": .shopVisitor, "stripeWebhook": .shopVisitor,
        "requestPasswordReset": .shopVisitor, "confirmPasswordReset": .shopVisitor, "verifyEmail": .shopVisitor,

        "me": .shopUser, "updateMe": .shopUser, "exportMe": .shopUser, "changePassword": .shopUser,
        "twoFactorStatus": .shopUser, "twoFactorSetup": .shopUser, "twoFactorConfirm": .shopUser, "twoFactorRecoveryCodes": .shopUser,
        "twoFactorDisable": .shopUser, "resendEmailVerification": .shopUser,
        // Staff alerts are for staff: a customer is refused.
        "getMailAlerts": orderHandlers, "setMailAlerts": orderHandlers,
        "getCart": .shopUser, "addToCart": .shopUser, "setCartQuantity": .shopUser, "removeFromCart": .shopUser,
        "quoteCheckout": .shopUser, "createOrder": .shopUser, "listOrders": .shopUser, "getOrder": .shopUser, "cancelOrder": .shopUser,
        "orderInvoice": .shopUser, "startPayment": .shopUser,
        "listAddresses": .shopUser, "addAddress": .shopUser, "replaceAddress": .shopUser, "deleteAddress": .shopUser,

        "payOrder": orderHandlers, "fulfillOrder": orderHandlers, "shipOrder": orderHandlers, "deliverOrder": orderHandlers,
        "refundOrder": orderHandlers,

        "createCategory": catalogEditors, "updateCategory": catalogEditors, "deleteCategory": catalogEditors,
        "createProduct": catalogEditors, "updateProduct": catalogEditors, "deleteProduct": catalogEditors, "adjustInventory": catalogEditors,
        "createVariant": catalogEditors, "updateVariant": catalogEditors, "deleteVariant": catalogEditors,
        "uploadProductImage": catalogEditors, "updateProductImage": catalogEditors, "deleteProductImage": catalogEditors,
        "listDiscounts": catalogEditors, "getDiscount": catalogEditors, "createDiscount": catalogEditors, "replaceDiscount": catalogEditors,
        "deleteDiscount": catalogEditors,

        "analyticsDashboard": managers, "salesReport": managers, "listAuditLogs": managers, "listSettings": managers,
        "listUsers": managers, "getUser": managers, "exportUser": managers, "listShippingZones": managers, "listTaxRates": managers,
        "mailStatus": managers, "listMailMessages": managers, "getMailMessage": managers, "listMailTemplates": managers,
        "getMailTemplate": managers, "previewMailTemplate": managers,

        "createUser": admins, "updateUser": admins, "deleteUser": admins, "eraseUser": admins, "resetUserTwoFactor": admins,
        "putSetting": admins, "deleteSetting": admins, "putShopPage": admins, "deleteShopPage": admins,
        "resendMailMessage": admins, "putMailTemplate": admins, "resetMailTemplate": admins, "sendTestMail": admins,
        "createShippingZone": admins, "replaceShippingZone": admins, "deleteShippingZone": admins,
        "createTaxRate": admins, "replaceTaxRate": admins, "deleteTaxRate": admins,

        "createTenant": .platform, "listTenants": .platform, "getTenant": .platform, "updateTenant": .platform, "deleteTenant": .platform,
        "createBackup": .platform, "listBackups": .platform, "restoreBackup": .platform, "showNode": .platform,
        "freezeTenantWrites": .platform, "showTenantFreeze": .platform, "thawTenantWrites": .platform,
        "exportTenant": .platform, "importTenant": .platform,
        "platformTwoFactorStatus": .platform, "platformTwoFactorSetup": .platform, "platformTwoFactorConfirm": .platform,
        "platformTwoFactorRecoveryCodes": .platform, "platformTwoFactorDisable": .platform,
    ]
}

/// Every operation of the OpenAPI document called by eight principals, each answer checked
/// against the operation's row in `AccessRule.table` (PocketBase's API scenario tables are the
/// model). One app per operation: a shop with a user of each role and a customer's pending order,
/// another shop with its owner, and a platform operator. Paths take the order's and a product's
/// ids where they name one, fresh ids elsewhere; writes send `{}`.
@Suite("Access table: every documented operation, every principal")
struct AccessTableTests {
    @Test func theDocumentHasOperationsAndTheTableNamesExactlyThem() {
        let documented = Set(DocumentedOperation.all().map(\.id))
        #expect(documented.count > 100, "the OpenAPI document was found and read")
        #expect(documented.subtracting(AccessRule.table.keys).sorted() == [], "operations without an access rule")
        #expect(Set(AccessRule.table.keys).subtracting(documented).sorted() == [], "rules for operations the document no longer has")
    }

    @Test(arguments: DocumentedOperation.all())
    func eachPrincipalIsLetThroughOrRefusedAsTheTableSays(_ operation: DocumentedOperation) async throws {
        let rule = try #require(AccessRule.table[operation.id], "\(operation.id) has no row in AccessRule.table")
        let app = try TestApp.make()
        let shop = try await app.shop()
        let other = try await app.shop("other")
        for role in Role.allCases {
            try await app.user("\(role.rawValue)@example.com", role: role, in: shop)
        }
        try await app.user("owner@other.example", role: .owner, in: other)
        let product = try await app.product(in: shop, sku: "TEAPOT", stock: 50)
        try await app.run { client in
            var tokens: [Principal: String] = [:]
            for role in Role.allCases {
                tokens[Principal(rawValue: role.rawValue)!] = try await app.accessToken(client, "\(role.rawValue)@example.com")
            }
            tokens[.otherShopsOwner] = try await app.accessToken(client, "owner@other.example", in: "other")
            tokens[.platformOperator] = try await app.operatorToken(client)
            let placed = try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: tokens[.customer], tenant: "shop"),
                                                  body: ByteBuffer(string: #"{"items":[{"productId":"\#(product.id.lowercased)","quantity":1}]}"#))
            let order = try #require((try placed.json()["data"] as? [String: Any])?["id"] as? String)
            var path = operation.pathTemplate
            for (name, value) in ["/orders/{id}": "/orders/\(order)", "/products/{id}": "/products/\(product.id.lowercased)",
                                  "{tenantId}": shop.lowercased, "{key}": "store.name", "{file}": "480.webp"] {
                path = path.replacingOccurrences(of: name, with: value)
            }
            path = path.replacing(/\{[A-Za-z]+\}/) { _ in UUID().lowercased }
            let sendsBody = [.post, .put, .patch].contains(operation.method)
            for principal in Principal.allCases {
                let response = try await client.execute(uri: path, method: operation.method, headers: .json(token: tokens[principal], tenant: "shop"),
                                                        body: sendsBody ? ByteBuffer(string: "{}") : nil)
                let status = Int(response.status.code)
                let expected = rule.outcome(for: principal)
                let answer = "\(principal.rawValue) \(operation.method.rawValue) \(path): \(status) \(String(buffer: response.body).prefix(200))"
                switch expected {
                case .through:
                    #expect(status != 401 && status != 403, "should be let through: \(answer)")
                case .refused(let code):
                    #expect(status == code, "should be \(expected): \(answer)")
                    #expect(try response.errorCode() == (code == 401 ? "UNAUTHORIZED" : "FORBIDDEN"), "\(answer)")
                }
            }
        }
    }
}
