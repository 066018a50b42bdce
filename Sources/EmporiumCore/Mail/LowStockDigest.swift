import Foundation

/// The staff's low-stock mail: one digest naming every variant at or under its product's low-stock
/// threshold, sent when a variant joins the list, never one mail per unit sold. The variants it
/// named are remembered (`mail.lowStockReported`), so a variant is named again only after it was
/// restocked above its threshold and ran low once more.
public enum LowStockDigest {
    /// The most variants one digest lists.
    public static let maximumItems = 50

    /// Queues the digest to the staff who opted in when a variant newly ran low; returns how many
    /// messages were queued. Runs inside the caller's write transaction.
    @discardableResult
    public static func run(_ tx: any TenantTransaction, at timestamp: Date) throws -> Int {
        let low = try tx.catalog.lowStockVariants(limit: maximumItems)
        let current = Set(low.map(\.variantID.lowercased))
        let stored = try tx.settings.setting(MailSettings.lowStockReportedKey)
        var reported = Set<String>()
        if case .array(let values)? = stored?.value {
            for case .string(let id) in values { reported.insert(id) }
        }
        guard current != reported else { return 0 }
        try tx.settings.upsert(StoredSetting(key: MailSettings.lowStockReportedKey, value: .array(current.sorted().map(JSONValue.string)),
                                             isEncrypted: false, createdAt: stored?.createdAt ?? timestamp, updatedAt: timestamp))
        guard !current.subtracting(reported).isEmpty else { return 0 }
        let recipients = try StaffAlerts.recipients(of: .staffLowStock, tx)
        let payload: JSONValue = .object([
            "count": .string(String(low.count)), "link": "/admin#/products",
            "items": .array(low.map { .object(["sku": .string($0.sku), "name": .string($0.name), "available": .string(String($0.available))]) }),
        ])
        for address in recipients {
            try tx.outbox.enqueue(.new(.mail, topic: MailTopic.staffLowStock.rawValue, to: address, payload: payload, at: timestamp))
        }
        return recipients.count
    }
}
