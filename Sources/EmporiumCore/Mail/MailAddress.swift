import Foundation

/// A mailbox as a header names it: an optional display name and an address.
public struct MailAddress: Sendable, Equatable {
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// `Shop <shop@example.com>` or `shop@example.com`, as `MAIL_FROM` and the reply-to setting
    /// give it. Refuses anything with a control character, so a configured value never adds a header.
    public static func parse(_ raw: String, field: String) throws -> MailAddress {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw DomainError.invalid(field, "may not contain line breaks or control characters")
        }
        if text.hasSuffix(">"), let open = text.lastIndex(of: "<") {
            let name = text[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            let address = try EmailAddress.normalize(String(text[text.index(after: open)..<text.index(before: text.endIndex)]), field: field)
            return MailAddress(name: name.isEmpty ? nil : name, address: address)
        }
        return MailAddress(address: try EmailAddress.normalize(text, field: field))
    }

    /// The domain of the address, which `Message-ID`s are made under.
    public var domain: String {
        address.split(separator: "@").last.map(String.init) ?? "localhost"
    }

    /// Whether the address needs SMTPUTF8 (RFC 6531) to be sent: its local part or domain is not ASCII.
    public var isInternational: Bool { !address.unicodeScalars.allSatisfy(\.isASCII) }
}

extension MailAddress {
    /// Whether the address can be put between `<` and `>` on an SMTP command line and in a header
    /// as it is: no angle brackets, quotes, separators, spaces or control characters. Accounts hold
    /// addresses checked only loosely (`EmailAddress`), so the sender checks again before sending.
    public var isSafeOnTheWire: Bool {
        let forbidden: Set<Unicode.Scalar> = ["<", ">", ",", ";", "\"", "(", ")", "\\", "[", "]", ":"]
        return address.unicodeScalars.allSatisfy { scalar in
            !forbidden.contains(scalar) && !scalar.properties.isWhitespace && scalar.properties.generalCategory != .control
                && scalar.properties.generalCategory != .format
        } && address.split(separator: "@", omittingEmptySubsequences: false).count == 2
    }
}
