@testable import EmporiumHTTP
import Foundation
import Testing

@Suite("JWT header, read before verification")
struct TokenHeaderTests {
    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func read(_ token: String) -> [String?]? {
        TokenHeader(token).map { [$0.alg, $0.kid] }
    }

    /// alg and kid come out of unpadded base64url (with `-` and `_`); anything that is not a JSON
    /// object in base64url is no header at all.
    @Test func readsAlgAndKidAndRefusesWhatIsNoHeader() {
        // "??>" encodes to "Pz8-" and "??~" to "Pz9-": the header below carries both URL-safe characters.
        let header = Self.base64URL(#"{"alg":"HS256","typ":"JWT","kid":"hs-??>??~a"}"#)
        #expect(header.contains("-") || header.contains("_"))
        #expect(Self.read(header + ".e30.sig") == ["HS256", "hs-??>??~a"])
        #expect(Self.read(Self.base64URL(#"{"alg":"none"}"#) + "..") == ["none", nil])
        #expect(Self.read(Self.base64URL(#"{"alg":256,"kid":["x"]}"#) + ".e30.x") == [nil, nil])
        for refused in ["", ".", "not base64!.e30.x", Self.base64URL("[1,2]") + ".e30.x", Self.base64URL(#""HS256""#) + ".a.b",
                        Self.base64URL(#"{"alg":"HS256""#) + ".a.b", String(repeating: "A", count: 5000) + ".e30.x"] {
            #expect(TokenHeader(refused) == nil, "\(refused.prefix(40))")
        }
    }
}
