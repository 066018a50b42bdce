import Foundation

/// The messages an order's life sends, written into the outbox in the transaction that changes the
/// order: the customer hears of each step, and staff who opted in hear of each new order.
public enum OrderMail {
    /// The customer's message for an order that just moved to `status`, if that step has one.
    static func topic(for status: OrderStatus) -> MailTopic? {
        switch status {
        case .pending: return .orderReceived
        case .paid: return .orderPaid
        case .shipped: return .orderShipped
        case .cancelled: return .orderCancelled
        case .refunded: return .orderRefunded
        case .fulfilled, .delivered: return nil
        }
    }

    /// Queues the customer's message for `order` in its new state. `extra` adds facts only the
    /// step knows (the carrier and tracking number of a shipment).
    static func enqueue(for order: Order, _ tx: any TenantTransaction, at timestamp: Date, extra: [String: JSONValue] = [:]) throws {
        guard let topic = topic(for: order.status), let customerID = order.customerID, let customer = try tx.users.user(id: customerID) else { return }
        var payload = facts(of: order)
        payload["firstName"] = .string(customer.firstName)
        for (key, value) in extra { payload[key] = value }
        try tx.outbox.enqueue(.new(.mail, topic: topic.rawValue, to: customer.email, payload: .object(payload), at: timestamp))
        if topic == .orderReceived {
            var staff = facts(of: order)
            staff["customerEmail"] = .string(customer.email)
            staff["link"] = .string("/admin#/orders/\(order.id.lowercased)")
            for address in try StaffAlerts.recipients(of: .staffNewOrder, tx) {
                try tx.outbox.enqueue(.new(.mail, topic: MailTopic.staffNewOrder.rawValue, to: address, payload: .object(staff), at: timestamp))
            }
        }
    }

    /// What every order message can show: its number, lines, totals and addresses, as text in the
    /// order's currency, and the path of its page in the storefront.
    static func facts(of order: Order) -> [String: JSONValue] {
        let exponent = Currency.exponent(order.currency)
        func money(_ minor: Int) -> JSONValue { .string("\(Money.amount(minor, exponent: exponent)) \(order.currency)") }
        var facts: [String: JSONValue] = [
            "orderNumber": .string(String(order.number)), "orderId": .string(order.id.lowercased),
            "itemCount": .string(String(order.lines.reduce(0) { $0 + $1.quantity })),
            "lines": .array(order.lines.map { line in
                .object(["name": .string(line.displayName), "sku": .string(line.sku), "quantity": .string(String(line.quantity)),
                         "unitPrice": money(line.unitPriceMinor), "total": money(line.lineTotalMinor)])
            }),
            "subtotal": money(order.totals.subtotalMinor), "tax": money(order.totals.taxMinor), "total": money(order.totals.totalMinor),
            "link": .string("/#/orders/\(order.id.lowercased)"),
        ]
        if order.totals.discountMinor > 0 { facts["discount"] = money(order.totals.discountMinor) }
        if order.totals.shippingMinor > 0 || order.checkout.shipping != nil { facts["shipping"] = money(order.totals.shippingMinor) }
        if let invoice = order.invoiceNumber {
            facts["invoiceNumber"] = .string(String(invoice))
            facts["invoiceLink"] = .string("/#/orders/\(order.id.lowercased)")
        }
        for (key, address) in [("shippingAddress", order.checkout.shippingAddress), ("billingAddress", order.checkout.billingAddress)] {
            guard let address else { continue }
            let lines = [address.name, address.company, address.line1, address.line2,
                         [address.postalCode, address.city].compactMap { $0 }.joined(separator: " "), address.region, address.country]
                .compactMap { $0 }.filter { !$0.isEmpty }
            facts[key] = .object(["lines": .array(lines.map(JSONValue.string))])
        }
        return facts
    }
}

/// Which staff opted into which alert (`mail.staffAlerts`), kept per person so nobody is put on a
/// list by someone else.
public enum StaffAlerts {
    /// The addresses of staff who want `topic`, skipping anyone no longer staff.
    static func recipients(of topic: MailTopic, _ tx: any TenantTransaction) throws -> [String] {
        guard case .object(let choices)? = try tx.settings.setting(MailSettings.staffAlertsKey)?.value else { return [] }
        var addresses: [String] = []
        for (userID, value) in choices.sorted(by: { $0.key < $1.key }) {
            guard case .array(let topics) = value, topics.contains(.string(topic.rawValue)), let id = UUID(uuidString: userID),
                  let user = try tx.users.user(id: id), user.role != .customer else { continue }
            addresses.append(user.email)
        }
        return addresses
    }

    /// The alerts `userID` chose.
    public static func choices(of userID: UUID, _ tx: any TenantTransaction) throws -> [MailTopic] {
        guard case .object(let choices)? = try tx.settings.setting(MailSettings.staffAlertsKey)?.value,
              case .array(let topics)? = choices[userID.lowercased] else { return [] }
        return topics.compactMap { if case .string(let raw) = $0 { return MailTopic(rawValue: raw) } else { return nil } }
    }

    /// Stores `userID`'s choice (only staff alerts; an empty list removes the person).
    public static func set(_ topics: [MailTopic], of userID: UUID, _ tx: any TenantTransaction, at timestamp: Date) throws {
        var choices: [String: JSONValue] = [:]
        let existing = try tx.settings.setting(MailSettings.staffAlertsKey)
        if case .object(let stored)? = existing?.value { choices = stored }
        let wanted = MailTopic.staffAlerts.filter(topics.contains)
        choices[userID.lowercased] = wanted.isEmpty ? nil : .array(wanted.map { .string($0.rawValue) })
        try tx.settings.upsert(StoredSetting(key: MailSettings.staffAlertsKey, value: .object(choices), isEncrypted: false,
                                             createdAt: existing?.createdAt ?? timestamp, updatedAt: timestamp))
    }
}
