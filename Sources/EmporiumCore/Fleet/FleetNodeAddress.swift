import Foundation

/// A fleet node's URL: where the commands call its platform API (with an operator's password, so
/// held to `OutboundURL`'s rule) and what the proxy forwards to. Only the origin: no path or query.
public struct FleetNodeAddress: Sendable, Equatable {
    public let url: OutboundURL

    public init(_ text: String) throws {
        guard let url = try? OutboundURL(text), url.requestTarget == "/" else {
            throw DomainError.invalid("url", "'\(text)' is not https://host[:port] (plain http:// only to this machine), without a path")
        }
        self.url = url
    }

    public var usesTLS: Bool { url.usesTLS }
    public var host: String { url.host }
    public var port: Int { url.port }
    /// `host:port` as HAProxy's `server` line takes it (an IPv6 literal in brackets).
    public var hostAndPort: String { url.hostAndPort }

    /// The URL without a trailing slash, to which API paths are appended.
    public var base: String {
        "\(usesTLS ? "https" : "http")://\(hostAndPort)"
    }
}
