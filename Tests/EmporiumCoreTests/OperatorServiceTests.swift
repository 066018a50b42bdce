import EmporiumCore
import Foundation
import Synchronization
import Testing

/// A hasher that records which hashes it was asked to check, to see that unknown emails cost a
/// real verification too.
final class RecordingHasher: PasswordHasher {
    private let checked = Mutex<[String]>([])
    var verifications: [String] { checked.withLock { $0 } }

    func hash(_ password: String) async throws -> String { "hash:" + password }
    func verify(_ password: String, against hash: String) async -> Bool {
        checked.withLock { $0.append(hash) }
        return hash == "hash:" + password
    }
}

final class MemoryOperatorStore: OperatorStore {
    private let operators = Mutex<[PlatformOperator]>([])
    func insert(_ op: PlatformOperator) async throws {
        try operators.withLock { list in
            if list.contains(where: { $0.email == op.email }) { throw DomainError.conflict("taken") }
            list.append(op)
        }
    }
    func operatorBy(email: String) async throws -> PlatformOperator? { operators.withLock { $0.first { $0.email == email } } }
    func operatorBy(id: UUID) async throws -> PlatformOperator? { operators.withLock { $0.first { $0.id == id } } }
    func recordLogin(id: UUID, attempts: Int, lockedUntil: Date?, lastLogin: Date?) async throws {
        operators.withLock { list in
            guard let index = list.firstIndex(where: { $0.id == id }) else { return }
            list[index].loginAttempts = attempts
            list[index].lockedUntil = lockedUntil
            list[index].lastLogin = lastLogin
        }
    }
}

@Suite("Operator sign-in rules")
struct OperatorServiceTests {
    @Test func unknownEmailStillVerifiesAPasswordHashMadeByTheSameHasher() async throws {
        let hasher = RecordingHasher()
        let service = OperatorService(store: MemoryOperatorStore(), hasher: hasher)
        await #expect(throws: DomainError.unauthorized("Invalid email or password")) {
            _ = try await service.authenticate(email: "nobody@example.com", password: "whatever123")
        }
        #expect(hasher.verifications.count == 1)
        #expect(hasher.verifications[0].hasPrefix("hash:"))
    }

    @Test func lockExpiresAfterTheConfiguredDuration() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let service = OperatorService(
            store: MemoryOperatorStore(), hasher: RecordingHasher(), throttle: LoginThrottle(maxAttempts: 2, lockDuration: 60),
            now: { clock.withLock { $0 } }
        )
        _ = try await service.create(email: "ops@example.com", password: "correct horse")
        for _ in 1...2 { _ = try? await service.authenticate(email: "ops@example.com", password: "wrong one!") }
        await #expect(throws: DomainError.self) { _ = try await service.authenticate(email: "ops@example.com", password: "correct horse") }
        clock.withLock { $0 = $0.addingTimeInterval(61) }
        let op = try await service.authenticate(email: "OPS@example.com", password: "correct horse")
        #expect(op.email == "ops@example.com")
    }

    @Test(arguments: ["short", String(repeating: "é", count: 40)])
    func weakOrOverlongPasswordsAreRefused(_ password: String) async {
        let service = OperatorService(store: MemoryOperatorStore(), hasher: RecordingHasher())
        await #expect(throws: DomainError.self) { _ = try await service.create(email: "ops@example.com", password: password) }
    }
}
