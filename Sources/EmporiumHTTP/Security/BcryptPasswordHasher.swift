import Foundation
import EmporiumCore
import HummingbirdBcrypt
import NIOPosix

/// bcrypt via hummingbird-auth, run on NIO's thread pool so a slow hash never blocks the
/// cooperative executor that serves other requests.
public struct BcryptPasswordHasher: PasswordHasher {
    let cost: UInt8

    public init(cost: Int) {
        self.cost = UInt8(clamping: cost)
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async -> Bool {
        (try? await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }) ?? false
    }
}
