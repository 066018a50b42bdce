import EmporiumCore
import Testing

@Suite("Subdomains and domains follow DNS rules")
struct HostnameRulesTests {
    @Test(arguments: ["shop", "my-shop", "a", "shop42", "x1-y2-z3"])
    func validSubdomainsAreAccepted(_ label: String) throws {
        #expect(try HostnameRules.normalizeSubdomain(label.uppercased()) == label)
    }

    @Test(arguments: ["", "-shop", "shop-", "sh_op", "sh op", "shöp", String(repeating: "a", count: 64), "www", "admin",
                      "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "a.b"])
    func invalidSubdomainsAreRefused(_ label: String) {
        #expect(throws: DomainError.self) { try HostnameRules.normalizeSubdomain(label) }
    }

    @Test(arguments: ["shop.example.com", "Example.ORG.", "a-b.c-d.io"])
    func validDomainsAreAcceptedLowerCased(_ domain: String) throws {
        let normalized = try HostnameRules.normalizeDomain(domain)
        #expect(normalized == normalized.lowercased())
        #expect(!normalized.hasSuffix("."))
    }

    @Test(arguments: ["localhost", "10.0.0.1", "exa mple.com", "-bad.com", "bad-.com", "a..b", String(repeating: "a.", count: 130) + "com"])
    func invalidDomainsAreRefused(_ domain: String) {
        #expect(throws: DomainError.self) { try HostnameRules.normalizeDomain(domain) }
    }
}
