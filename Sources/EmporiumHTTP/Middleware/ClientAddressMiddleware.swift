import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    static let forwardedFor = Self("X-Forwarded-For")!
}

/// Decides the client's address once per request. It is the socket peer, unless that peer is a
/// trusted proxy (`TRUSTED_PROXIES`, or loopback with `TRUST_PROXY=true`): then it is the rightmost
/// `X-Forwarded-For` entry that is not itself a trusted proxy — the one address our own proxy saw.
/// Entries to the left of it were written by the client and are never believed; entries that do
/// not parse as addresses are skipped. So clients cannot dodge rate limits by inventing addresses.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: [IPNetwork]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let forwarded = request.headers[values: .forwardedFor]
        if let peer = context.remoteAddress, !forwarded.isEmpty {
            context.clientIP = Self.clientAddress(peer: peer, forwardedFor: forwarded, trusted: trustedProxies)
        }
        context.userAgent = request.headers[.userAgent].map { String($0.prefix(500)) }
        return try await next(request, context)
    }

    /// The client's address from the socket peer and every `X-Forwarded-For` line, oldest first.
    static func clientAddress(peer: String, forwardedFor: [String], trusted: [IPNetwork]) -> String {
        guard trusted.contains(where: { $0.contains(peer) }) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where IPNetwork.parse(hop) != nil {
            if !trusted.contains(where: { $0.contains(hop) }) { return hop }
        }
        return peer
    }
}
