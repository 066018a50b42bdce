import EmporiumCore
import EmporiumObservability
import Foundation
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplay = Self("Idempotent-Replayed")!
}

/// `/orders`: customers order and follow their own orders; staff with `orders:*` process all.
struct OrderController {
    let orders: OrderService
    let payments: PaymentService
    let metrics: EmporiumMetrics

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.post("orders", use: create)
            .get("orders", use: list)
            .get("orders/{id}", use: show)
            .get("orders/{id}/invoice", use: invoice)
        for action in OrderAction.allCases {
            group.post("orders/{id}/\(action.rawValue)") { request, context in
                try await transition(request, context: context, action: action)
            }
        }
    }

    struct CreateRequest: Decodable {
        struct Item: Decodable {
            let productId: String
            let variantId: String?
            let quantity: Int

            var request: OrderItemRequest { OrderItemRequest(productID: productId, variantID: variantId, quantity: quantity) }
        }

        let items: [Item]?
        let paymentMethod: String?
        let expectedTotal: Decimal?
        let choices: CheckoutChoicesRequest

        enum CodingKeys: String, CodingKey { case items, paymentMethod, expectedTotal }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            items = try container.decodeIfPresent([Item].self, forKey: .items)
            paymentMethod = try container.decodeIfPresent(String.self, forKey: .paymentMethod)
            expectedTotal = try container.decodeIfPresent(Decimal.self, forKey: .expectedTotal)
            choices = try CheckoutChoicesRequest(from: decoder)
        }
    }

    struct TransitionRequest: Decodable {
        let restock: Bool?
    }

    /// The optional body of `POST /orders/{id}/ship`: what the shipping notice tells the customer.
    struct ShipRequest: Decodable {
        let carrier: String?
        let trackingNumber: String?
        let trackingUrl: String?
    }

    /// 201 with the order; a replay of an earlier `Idempotency-Key` answers the same order again,
    /// marked `Idempotent-Replayed: true`.
    @Sendable func create(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<OrderDTO>> {
        _ = try context.requireUser()
        let input = try await request.decodeJSON(as: CreateRequest.self, context: context)
        let started = ContinuousClock.now
        let result = try await orders.place(in: context.tenant.id, .init(
            items: input.items?.map(\.request), paymentMethod: input.paymentMethod, currency: context.tenant.currency,
            idempotencyKey: request.headers[.idempotencyKey], choices: input.choices.choices, expectedTotal: input.expectedTotal
        ), by: context.actor)
        var headers = HTTPFields()
        if result.replayed {
            headers[.idempotentReplay] = "true"
        } else {
            metrics.orderPlaced(tenantID: context.tenant.id.lowercased, status: result.order.status.rawValue,
                                paymentMethod: result.order.paymentMethod, duration: ContinuousClock.now - started)
        }
        return EditedResponse(status: .created, headers: headers, response: Envelope(OrderDTO(result.order)))
    }

    @Sendable func list(_ request: Request, context: TenantRequestContext) async throws -> Envelope<PagedList<OrderDTO>> {
        _ = try context.requireUser()
        let query = request.uri.queryParameters
        let page = try query.page()
        let status = try query.option(OrderStatus.self, "status")
        let result = try await orders.list(in: context.tenant.id, status: status, page: page, by: context.actor)
        return Envelope(PagedList(key: "orders", items: result.orders.map(OrderDTO.init), pagination: Pagination(page, total: result.total)))
    }

    @Sendable func show(_ request: Request, context: TenantRequestContext) async throws -> Envelope<OrderDTO> {
        _ = try context.requireUser()
        return Envelope(OrderDTO(try await orders.get(in: context.tenant.id, id: try context.parameters.require("id"), by: context.actor)))
    }

    /// `GET /orders/{id}/invoice`: the printable invoice of a paid order (`?document=packing-slip`
    /// for the packing slip, available from the moment the order is placed).
    @Sendable func invoice(_ request: Request, context: TenantRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let order = try await orders.get(in: context.tenant.id, id: try context.parameters.require("id"), by: context.actor)
        let kind: OrderDocument.Kind
        switch request.uri.queryParameters["document"].map(String.init) ?? "invoice" {
        case "invoice": kind = .invoice
        case "packing-slip": kind = .packingSlip
        default: throw DomainError.badRequest("document must be invoice or packing-slip", details: [FieldIssue(field: "document", message: "must be invoice or packing-slip")])
        }
        if kind == .invoice, order.invoiceNumber == nil {
            throw DomainError.conflict("Order \(order.number) has no invoice yet: an invoice is issued when the order is paid")
        }
        let html = OrderDocument(kind: kind, order: order, shopName: context.tenant.name).html
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "private, no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func transition(_ request: Request, context: TenantRequestContext, action: OrderAction) async throws -> Envelope<OrderDTO> {
        _ = try context.requireUser()
        var restock = false
        var shipment: Shipment?
        if action == .refund {
            restock = try await request.decodeJSONIfPresent(as: TransitionRequest.self, context: context)?.restock ?? false
        } else if action == .ship, let notice = try await request.decodeJSONIfPresent(as: ShipRequest.self, context: context) {
            shipment = try Shipment(carrier: notice.carrier, trackingNumber: notice.trackingNumber, trackingURL: notice.trackingUrl)
        }
        // Refunds and cancellations go through the payment provider when it holds the money.
        let order = try await payments.transition(in: context.tenant.id, id: try context.parameters.require("id"), action, restock: restock,
                                                  shipment: shipment, orders: orders, by: context.actor)
        return Envelope(OrderDTO(order))
    }
}
