import Crypto
import EmporiumCore
import Foundation
import JWTKit

/// HS256 keys by key id (`kid`), so `JWT_SECRET` can be rotated without signing everyone out: the
/// current key signs and its `kid` goes into every token's header; the previous key
/// (`JWT_SECRET_PREVIOUS`) still verifies tokens that carry its `kid` until
/// `JWT_SECRET_PREVIOUS_UNTIL`. A token without a `kid` (issued before kids existed) is tried against
/// both. Any other `kid` is refused without trying keys.
struct SigningKeys: Sendable {
    private struct Key: Sendable {
        let kid: String
        let collection: JWTKeyCollection
    }

    private let current: Key
    private let previous: Key?
    private let previousUntil: Date
    private let now: @Sendable () -> Date

    init(current: SymmetricKey, previous: SymmetricKey?, previousUntil: Date?, now: @escaping @Sendable () -> Date) async {
        self.current = await Self.key(current)
        self.previous = if let previous { await Self.key(previous) } else { nil }
        self.previousUntil = previousUntil ?? .distantPast
        self.now = now
    }

    private static func key(_ material: SymmetricKey) async -> Key {
        let kid = keyID(material)
        let collection = JWTKeyCollection()
        await collection.add(hmac: HMACKey(key: material), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        return Key(kid: kid, collection: collection)
    }

    /// A short public name of a key: a hash of a hash, so it says nothing about the secret.
    static func keyID(_ material: SymmetricKey) -> String {
        let digest = material.withUnsafeBytes { SHA256.hash(data: Data(SHA256.hash(data: Data($0)))) }
        return "hs-" + String(Hex.string(digest).prefix(12))
    }

    func sign(_ payload: some JWTPayload) async throws -> String {
        try await current.collection.sign(payload, kid: JWKIdentifier(string: current.kid))
    }

    /// The payload of a token whose `alg` is HS256 and whose signature one acceptable key verifies.
    func verify<Payload: JWTPayload>(_ token: String, as type: Payload.Type) async throws -> Payload {
        let header = TokenHeader(token)
        guard header?.alg == "HS256" else { throw DomainError.unauthorized("Invalid or expired token") }
        let usablePrevious = now() < previousUntil ? previous : nil
        let candidates: [Key]
        switch header?.kid {
        case nil: candidates = [current] + (usablePrevious.map { [$0] } ?? [])
        case current.kid?: candidates = [current]
        case let kid? where kid == usablePrevious?.kid: candidates = usablePrevious.map { [$0] } ?? []
        default: candidates = []
        }
        for key in candidates {
            if let payload = try? await key.collection.verify(token, as: Payload.self) { return payload }
        }
        throw DomainError.unauthorized("Invalid or expired token")
    }
}

/// The `alg` and `kid` of a compact JWS header, read before any verification so both are pinned.
struct TokenHeader: Equatable {
    let alg: String?
    let kid: String?

    /// Every signed-in request reads this, so it stays off Foundation's `NSString` bridge
    /// (`replacingOccurrences`) and `JSONSerialization`: base64url is mapped byte by byte and the
    /// header parsed by the same bounded parser as request bodies.
    init?(_ token: String) {
        guard let header = token.utf8.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false).first,
              header.count <= 4096 else { return nil }
        var base64 = String(decoding: header.map(Self.fromBase64URL), as: UTF8.self)
        base64 += String(repeating: "=", count: (4 - header.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), case .object(let fields)? = try? JSONValue.parse(String(decoding: data, as: UTF8.self)) else {
            return nil
        }
        if case .string(let value)? = fields["alg"] { alg = value } else { alg = nil }
        if case .string(let value)? = fields["kid"] { kid = value } else { kid = nil }
    }

    private static func fromBase64URL(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "-"): UInt8(ascii: "+")
        case UInt8(ascii: "_"): UInt8(ascii: "/")
        default: byte
        }
    }
}
