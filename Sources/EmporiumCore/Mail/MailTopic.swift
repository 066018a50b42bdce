import Foundation

/// Every message the shop sends, with who gets it and its default words. A topic's raw value is
/// the outbox row's `topic` and the template's key.
public enum MailTopic: String, Sendable, CaseIterable, Codable {
    case orderReceived = "order.received"
    case orderPaid = "order.paid"
    case orderShipped = "order.shipped"
    case orderCancelled = "order.cancelled"
    case orderRefunded = "order.refunded"
    case passwordReset = "account.password_reset"
    case emailVerification = "account.verify_email"
    case passwordChanged = "account.password_changed"
    case emailChanged = "account.email_changed"
    case twoFactorChanged = "account.two_factor_changed"
    case newSignIn = "account.new_sign_in"
    case staffNewOrder = "staff.new_order"
    case staffLowStock = "staff.low_stock"
    case test = "mail.test"

    /// Staff alerts a person opts into (`PUT /auth/me/mail-alerts`).
    public static let staffAlerts: [MailTopic] = [.staffNewOrder, .staffLowStock]

    /// The default words, used until the shop saves its own. Every template can use `shopName`
    /// and `shopURL`; `link` is the absolute address the message points to, where it has one.
    public var defaultTemplate: MailTemplate {
        switch self {
        case .orderReceived:
            return MailTemplate(
                subject: "{{shopName}}: we received your order #{{orderNumber}}",
                text: """
                Hello {{firstName}},

                thank you for your order #{{orderNumber}} at {{shopName}}.

                {{#lines}}
                {{quantity}} × {{name}} — {{total}}
                {{/lines}}

                Subtotal: {{subtotal}}
                {{#discount}}Discount: -{{discount}}
                {{/discount}}{{#shipping}}Shipping: {{shipping}}
                {{/shipping}}Tax: {{tax}}
                Total: {{total}}
                {{#shippingAddress}}

                Shipping to:
                {{#lines}}{{.}}
                {{/lines}}{{/shippingAddress}}

                Your order: {{link}}
                """,
                html: """
                <p>Hello {{firstName}},</p>
                <p>thank you for your order <strong>#{{orderNumber}}</strong> at {{shopName}}.</p>
                <table role="presentation" cellpadding="4">
                {{#lines}}<tr><td>{{quantity}} ×</td><td>{{name}}</td><td align="right">{{total}}</td></tr>
                {{/lines}}
                <tr><td></td><td>Subtotal</td><td align="right">{{subtotal}}</td></tr>
                {{#discount}}<tr><td></td><td>Discount</td><td align="right">-{{discount}}</td></tr>{{/discount}}
                {{#shipping}}<tr><td></td><td>Shipping</td><td align="right">{{shipping}}</td></tr>{{/shipping}}
                <tr><td></td><td>Tax</td><td align="right">{{tax}}</td></tr>
                <tr><td></td><td><strong>Total</strong></td><td align="right"><strong>{{total}}</strong></td></tr>
                </table>
                {{#shippingAddress}}<p>Shipping to:<br>{{#lines}}{{.}}<br>{{/lines}}</p>{{/shippingAddress}}
                <p><a href="{{link}}">See your order</a></p>
                """)
        case .orderPaid:
            return MailTemplate(
                subject: "{{shopName}}: payment received for order #{{orderNumber}}",
                text: "Hello {{firstName}},\n\nwe received {{total}} for your order #{{orderNumber}}. Invoice {{invoiceNumber}}: {{invoiceLink}}\n\nYour order: {{link}}\n",
                html: "<p>Hello {{firstName}},</p><p>we received <strong>{{total}}</strong> for your order #{{orderNumber}}.</p><p><a href=\"{{invoiceLink}}\">Invoice {{invoiceNumber}}</a> · <a href=\"{{link}}\">Your order</a></p>")
        case .orderShipped:
            return MailTemplate(
                subject: "{{shopName}}: order #{{orderNumber}} is on its way",
                text: "Hello {{firstName}},\n\nyour order #{{orderNumber}} has shipped.{{#carrier}} Carrier: {{carrier}}.{{/carrier}}{{#trackingNumber}} Tracking number: {{trackingNumber}}.{{/trackingNumber}}\n{{#trackingURL}}Track it: {{trackingURL}}\n{{/trackingURL}}\nYour order: {{link}}\n",
                html: "<p>Hello {{firstName}},</p><p>your order #{{orderNumber}} has shipped.{{#carrier}} Carrier: {{carrier}}.{{/carrier}}{{#trackingNumber}} Tracking number: {{trackingNumber}}.{{/trackingNumber}}</p>{{#trackingURL}}<p><a href=\"{{trackingURL}}\">Track your parcel</a></p>{{/trackingURL}}<p><a href=\"{{link}}\">Your order</a></p>")
        case .orderCancelled:
            return MailTemplate(
                subject: "{{shopName}}: order #{{orderNumber}} was cancelled",
                text: "Hello {{firstName}},\n\nyour order #{{orderNumber}} ({{total}}) was cancelled.\n\nYour order: {{link}}\n",
                html: "<p>Hello {{firstName}},</p><p>your order #{{orderNumber}} ({{total}}) was cancelled.</p><p><a href=\"{{link}}\">Your order</a></p>")
        case .orderRefunded:
            return MailTemplate(
                subject: "{{shopName}}: order #{{orderNumber}} was refunded",
                text: "Hello {{firstName}},\n\nwe refunded {{total}} for your order #{{orderNumber}}.\n\nYour order: {{link}}\n",
                html: "<p>Hello {{firstName}},</p><p>we refunded <strong>{{total}}</strong> for your order #{{orderNumber}}.</p><p><a href=\"{{link}}\">Your order</a></p>")
        case .passwordReset:
            return MailTemplate(
                subject: "{{shopName}}: reset your password",
                text: "Hello {{firstName}},\n\nsomeone asked to reset the password of your account at {{shopName}}. To choose a new one, open this link within {{minutes}} minutes:\n\n{{link}}\n\nIf it was not you, ignore this message: your password stays as it is.\n",
                html: "<p>Hello {{firstName}},</p><p>someone asked to reset the password of your account at {{shopName}}. To choose a new one, open this link within {{minutes}} minutes:</p><p><a href=\"{{link}}\">Choose a new password</a></p><p>If it was not you, ignore this message: your password stays as it is.</p>")
        case .emailVerification:
            return MailTemplate(
                subject: "{{shopName}}: confirm your e-mail address",
                text: "Hello {{firstName}},\n\nplease confirm that {{email}} is your address by opening this link:\n\n{{link}}\n",
                html: "<p>Hello {{firstName}},</p><p>please confirm that {{email}} is your address:</p><p><a href=\"{{link}}\">Confirm my address</a></p>")
        case .passwordChanged:
            return MailTemplate(
                subject: "{{shopName}}: your password was changed",
                text: "Hello {{firstName}},\n\nthe password of your account at {{shopName}} was changed on {{at}}, and every session was signed out. If it was not you, reset your password at once: {{link}}\n",
                html: "<p>Hello {{firstName}},</p><p>the password of your account at {{shopName}} was changed on {{at}}, and every session was signed out.</p><p>If it was not you, <a href=\"{{link}}\">reset your password</a> at once.</p>")
        case .emailChanged:
            return MailTemplate(
                subject: "{{shopName}}: your e-mail address was changed",
                text: "Hello {{firstName}},\n\nthe e-mail address of your account at {{shopName}} was changed from {{oldEmail}} to {{newEmail}}. If it was not you, contact the shop at once.\n",
                html: "<p>Hello {{firstName}},</p><p>the e-mail address of your account at {{shopName}} was changed from {{oldEmail}} to {{newEmail}}.</p><p>If it was not you, contact the shop at once.</p>")
        case .twoFactorChanged:
            return MailTemplate(
                subject: "{{shopName}}: two-step sign-in was {{#enabled}}switched on{{/enabled}}{{^enabled}}switched off{{/enabled}}",
                text: "Hello {{firstName}},\n\ntwo-step sign-in of your account at {{shopName}} was {{#enabled}}switched on{{/enabled}}{{^enabled}}switched off{{/enabled}}. If it was not you, contact the shop at once.\n",
                html: "<p>Hello {{firstName}},</p><p>two-step sign-in of your account at {{shopName}} was {{#enabled}}switched on{{/enabled}}{{^enabled}}switched off{{/enabled}}.</p><p>If it was not you, contact the shop at once.</p>")
        case .newSignIn:
            return MailTemplate(
                subject: "{{shopName}}: new sign-in to your account",
                text: "Hello {{firstName}},\n\nyour account at {{shopName}} was signed in to on {{at}} from {{address}} ({{userAgent}}), an address it had not used before. If it was not you, reset your password: {{link}}\n",
                html: "<p>Hello {{firstName}},</p><p>your account at {{shopName}} was signed in to on {{at}} from {{address}} ({{userAgent}}), an address it had not used before.</p><p>If it was not you, <a href=\"{{link}}\">reset your password</a>.</p>")
        case .staffNewOrder:
            return MailTemplate(
                subject: "{{shopName}}: new order #{{orderNumber}} ({{total}})",
                text: "New order #{{orderNumber}} from {{customerEmail}}: {{itemCount}} items, {{total}}.\n\n{{link}}\n",
                html: "<p>New order <strong>#{{orderNumber}}</strong> from {{customerEmail}}: {{itemCount}} items, {{total}}.</p><p><a href=\"{{link}}\">Open it in the admin panel</a></p>")
        case .staffLowStock:
            return MailTemplate(
                subject: "{{shopName}}: {{count}} products running low",
                text: "These products are at or under their low-stock threshold:\n\n{{#items}}{{sku}} {{name}}: {{available}} left\n{{/items}}\n{{link}}\n",
                html: "<p>These products are at or under their low-stock threshold:</p><ul>{{#items}}<li>{{sku}} {{name}}: <strong>{{available}}</strong> left</li>{{/items}}</ul><p><a href=\"{{link}}\">Open the catalog</a></p>")
        case .test:
            return MailTemplate(
                subject: "{{shopName}}: test message",
                text: "This is a test message from {{shopName}}. Mail works.\n\n{{shopURL}}\n",
                html: "<p>This is a test message from {{shopName}}. Mail works.</p><p><a href=\"{{shopURL}}\">{{shopName}}</a></p>")
        }
    }

    /// A payload of the topic's shape with made-up values: the editor's preview and "send me a test".
    public var samplePayload: JSONValue {
        let order: [String: JSONValue] = [
            "firstName": "Ada", "orderNumber": "1042", "orderId": "00000000-0000-0000-0000-000000000000",
            "lines": .array([.object(["name": "Linen shirt — M / Blue", "quantity": "2", "unitPrice": "39.00 EUR", "total": "78.00 EUR"])]),
            "subtotal": "78.00 EUR", "discount": "5.00 EUR", "shipping": "4.90 EUR", "tax": "12.44 EUR", "total": "77.90 EUR",
            "shippingAddress": .object(["lines": .array(["Ada Lovelace", "12 St James's Square", "London SW1Y 4JH", "GB"])]),
            "invoiceNumber": "17", "carrier": "DHL", "trackingNumber": "JD014600003SE", "customerEmail": "ada@example.com", "itemCount": "2",
            "link": "/#/orders/00000000-0000-0000-0000-000000000000",
        ]
        switch self {
        case .orderReceived, .orderPaid, .orderShipped, .orderCancelled, .orderRefunded, .staffNewOrder:
            return .object(order)
        case .passwordReset, .emailVerification:
            return .object(["firstName": "Ada", "email": "ada@example.com", "minutes": "30", "link": "/#/reset-password?token=sample"])
        case .passwordChanged, .newSignIn:
            return .object(["firstName": "Ada", "at": "2026-12-07 09:30 UTC", "address": "203.0.113.7", "userAgent": "Firefox", "link": "/#/forgot-password"])
        case .emailChanged:
            return .object(["firstName": "Ada", "oldEmail": "ada@example.com", "newEmail": "ada.lovelace@example.org"])
        case .twoFactorChanged:
            return .object(["firstName": "Ada", "enabled": true])
        case .staffLowStock:
            return .object(["count": "2", "link": "/admin#/products",
                            "items": .array([.object(["sku": "SHIRT-M-BLUE", "name": "Linen shirt", "available": "3"]),
                                             .object(["sku": "MUG-1", "name": "Mug", "available": "0"])])])
        case .test:
            return .object([:])
        }
    }
}
