import EmporiumCore
import Foundation

/// Where a provider request goes, taken apart for a socket: `https://` anywhere, plain `http://`
/// only to this machine (a stand-in in tests), the same rule `STRIPE_API_URL` is held to.
struct ProviderURL {
    let usesTLS: Bool
    let host: String
    let port: Int
    /// Path and query, as the request line carries them.
    let requestTarget: String

    init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let rawHost = components.host, !rawHost.isEmpty, components.user == nil, components.password == nil
        else { throw ProviderHTTPError.unsupportedURL(text) }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        switch scheme {
        case "https": usesTLS = true
        case "http" where ConfigLoader.loopbackProviderHosts.contains(host.lowercased()): usesTLS = false
        default: throw ProviderHTTPError.unsupportedURL(text)
        }
        let port = components.port ?? (usesTLS ? 443 : 80)
        guard (1...65_535).contains(port) else { throw ProviderHTTPError.unsupportedURL(text) }
        self.host = host
        self.port = port
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        requestTarget = components.percentEncodedQuery.map { path + "?" + $0 } ?? path
    }

    /// SNI and certificate names are for DNS names; an address literal is checked against the certificate's IP entries.
    var isIPAddress: Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
    }

    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (usesTLS ? 443 : 80) ? name : "\(name):\(port)"
    }
}
