import Foundation

/// A URL the appliance calls out to — a payment provider (`STRIPE_API_URL`), a fleet node — taken
/// apart for a socket. Such calls carry API keys or an operator's password, so one rule holds for
/// every one of them: `https://` anywhere, plain `http://` only to this machine's loopback (a
/// stand-in in tests, a fleet on loopback ports); no credentials in the URL, no fragment, a real port.
public struct OutboundURL: Sendable, Equatable {
    /// The hosts that may be reached over plain http.
    public static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "::1"]

    public struct Unusable: Error, Equatable, CustomStringConvertible {
        public let url: String
        public init(url: String) { self.url = url }
        public var description: String { "URL not usable for an outbound call (https://, or http:// to this machine): \(url)" }
    }

    public let usesTLS: Bool
    /// Lower case, an IPv6 literal without its brackets.
    public let host: String
    public let port: Int
    /// Path and query, as the request line carries them (`/` when the URL has neither).
    public let requestTarget: String

    public init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let rawHost = components.host?.lowercased(), !rawHost.isEmpty, components.user == nil, components.password == nil,
              components.fragment == nil
        else { throw Unusable(url: text) }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        switch scheme {
        case "https": usesTLS = true
        case "http" where Self.loopbackHosts.contains(host): usesTLS = false
        default: throw Unusable(url: text)
        }
        let port = components.port ?? (usesTLS ? 443 : 80)
        guard (1...65_535).contains(port) else { throw Unusable(url: text) }
        self.host = host
        self.port = port
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        requestTarget = components.percentEncodedQuery.map { path + "?" + $0 } ?? path
    }

    /// SNI and certificate names are for DNS names; an address literal is checked against the certificate's IP entries.
    public var isIPAddress: Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
    }

    /// `host:port`, an IPv6 literal in brackets (a `server` line of HAProxy, a `Host` header).
    public var hostAndPort: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The `Host` header: the port only when it is not the scheme's own.
    public var hostHeader: String {
        port == (usesTLS ? 443 : 80) ? (host.contains(":") ? "[\(host)]" : host) : hostAndPort
    }
}
