import Foundation

/// What the fleet's procedures (`ShopMove`, `NodeFailover`, `ShopPlacement`) ask of one node's
/// platform API. `FleetNodeClient` answers over HTTP; the procedures' tests use a fake.
public protocol FleetNode: Sendable {
    /// An operator's access token on this node (each node keeps its own operators).
    func signIn(email: String, password: String, code: String?) async throws -> String
    func report(token: String) async throws -> FleetPlacement.Report
    func createShop(token: String, name: String, subdomain: String, domain: String?) async throws -> FleetPlan.Shop
    /// Refuses the shop's writes until the returned time.
    func freeze(token: String, shop: UUID, seconds: Int) async throws -> Date
    func frozenUntil(token: String, shop: UUID) async throws -> Date?
    func thaw(token: String, shop: UUID) async throws
    func deleteShop(token: String, shop: UUID) async throws
    /// Streams the shop's export into `file`.
    func export(token: String, shop: UUID, to file: String) async throws -> FleetExport
    /// Creates the shop on this node from an exported file, which the node checks against `sha256`.
    func importShop(token: String, file: String, sha256: String) async throws -> FleetImport
    /// Creates the shop on this node from the newest backup of `label` in its backup folder's `folder`.
    func importBackup(token: String, folder: String, label: String) async throws -> FleetImport
}

/// A shop's file as it arrived: size and SHA-256 computed on arrival, and what the node said it sent.
public struct FleetExport: Sendable, Equatable {
    public let bytes: Int
    public let sha256: String
    public let announcedSHA256: String?

    public init(bytes: Int, sha256: String, announcedSHA256: String?) {
        (self.bytes, self.sha256, self.announcedSHA256) = (bytes, sha256, announcedSHA256)
    }
}

/// A shop created on a node from a file: the file's checksum as that node computed it, and, for a
/// backup, when it was taken.
public struct FleetImport: Sendable, Equatable {
    public let shop: FleetPlan.Shop
    public let sha256: String
    public let backupTakenAt: Date?

    public init(shop: FleetPlan.Shop, sha256: String, backupTakenAt: Date?) {
        (self.shop, self.sha256, self.backupTakenAt) = (shop, sha256, backupTakenAt)
    }
}

/// A node a procedure has signed in to.
public struct FleetSession: Sendable {
    public let node: String
    public let client: any FleetNode
    public let token: String

    public init(node: String, client: any FleetNode, token: String) {
        (self.node, self.client, self.token) = (node, client, token)
    }
}
