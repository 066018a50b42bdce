import Foundation

/// A fleet node's URL taken apart: what the proxy forwards to and whether over TLS. The commands
/// carry an operator's credentials to it, so it is held to the rule of every outbound call of the
/// appliance: `https://` anywhere, plain `http://` only to this machine (a fleet on loopback ports).
public struct FleetNodeAddress: Sendable, Equatable {
    public let usesTLS: Bool
    public let host: String
    public let port: Int

    public init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let rawHost = components.host?.lowercased(), !rawHost.isEmpty, components.user == nil, components.password == nil,
              components.query == nil, components.fragment == nil, ["", "/"].contains(components.percentEncodedPath)
        else { throw DomainError.invalid("url", "'\(text)' is not https://host[:port]") }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        switch scheme {
        case "https": usesTLS = true
        case "http" where ConfigLoader.loopbackProviderHosts.contains(host): usesTLS = false
        default: throw DomainError.invalid("url", "'\(text)': plain http:// only to this machine")
        }
        let port = components.port ?? (usesTLS ? 443 : 80)
        guard (1...65_535).contains(port) else { throw DomainError.invalid("url", "'\(text)': no such port") }
        self.host = host
        self.port = port
    }

    /// `host:port` as HAProxy's `server` line takes it (an IPv6 literal in brackets).
    public var hostAndPort: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The URL without a trailing slash, to which API paths are appended.
    public var base: String {
        "\(usesTLS ? "https" : "http")://\(hostAndPort)"
    }
}
