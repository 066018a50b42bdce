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
    private let addresses = Mutex<Set<String>>([])
    func recordFailedLogin(id: UUID, at timestamp: Date, rule: LoginThrottle) async throws -> Date? {
        operators.withLock { list in
            guard let index = list.firstIndex(where: { $0.id == id }) else { return nil }
            if let locked = list[index].lockedUntil, locked > timestamp { return locked }
            let next = rule.afterFailure(attempts: list[index].loginAttempts, now: timestamp)
            list[index].loginAttempts = next.attempts
            list[index].lockedUntil = next.lockedUntil
            return next.lockedUntil
        }
    }
    func recordSuccessfulLogin(id: UUID, address: String?, at timestamp: Date, keep: Int) async throws {
        operators.withLock { list in
            guard let index = list.firstIndex(where: { $0.id == id }) else { return }
            list[index].loginAttempts = 0
            list[index].lockedUntil = nil
            list[index].lastLogin = timestamp
        }
        if let address { addresses.withLock { _ = $0.insert("\(id)|\(address)") } }
    }
    func isKnownSignInAddress(id: UUID, address: String, since: Date) async throws -> Bool {
        addresses.withLock { $0.contains("\(id)|\(address)") }
    }
    private let credentials = Mutex<[UUID: TwoFactorCredential]>([:])
    func twoFactor(operatorID: UUID) async throws -> TwoFactorCredential? { credentials.withLock { $0[operatorID] } }
    func operatorsWithTwoFactor() async throws -> [UUID] { credentials.withLock { Array($0.keys) } }
    func changeTwoFactor<T: Sendable>(operatorID: UUID, _ body: @escaping @Sendable (inout TwoFactorCredential?) throws -> T) async throws -> T {
        try credentials.withLock { all in try body(&all[operatorID]) }
    }
}

@Suite("Operator sign-in rules")
struct OperatorServiceTests {
    static let codes = TwoFactorCodes(box: SecretBox(encryptionKey: "operator-tests"))
    @Test func unknownEmailStillVerifiesAPasswordHashMadeByTheSameHasher() async throws {
        let hasher = RecordingHasher()
        let service = OperatorService(store: MemoryOperatorStore(), hasher: hasher, twoFactor: Self.codes)
        await #expect(throws: DomainError.unauthorized("Invalid email or password")) {
            _ = try await service.authenticate(email: "nobody@example.com", password: "whatever123")
        }
        #expect(hasher.verifications.count == 1)
        #expect(hasher.verifications[0].hasPrefix("hash:"))
    }

    @Test func lockExpiresAfterTheConfiguredDuration() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let service = OperatorService(
            store: MemoryOperatorStore(), hasher: RecordingHasher(), throttle: LoginThrottle(maxAttempts: 2, lockDuration: 60), twoFactor: Self.codes,
            now: { clock.withLock { $0 } }
        )
        _ = try await service.create(email: "ops@example.com", password: "correct horse")
        for _ in 1...2 { _ = try? await service.authenticate(email: "ops@example.com", password: "wrong one!") }
        await #expect(throws: DomainError.self) { _ = try await service.authenticate(email: "ops@example.com", password: "correct horse") }
        clock.withLock { $0 = $0.addingTimeInterval(61) }
        let op = try await service.authenticate(email: "OPS@example.com", password: "correct horse")
        #expect(op.email == "ops@example.com")
    }

    @Test func lockedOperatorStillSignsInFromAKnownAddressButNotFromAStrangersOne() async throws {
        // Given an operator who signed in from 10.0.0.1, then a stranger's failures locked the account
        let service = OperatorService(store: MemoryOperatorStore(), hasher: RecordingHasher(), throttle: LoginThrottle(maxAttempts: 3, lockDuration: 600), twoFactor: Self.codes)
        _ = try await service.create(email: "ops@example.com", password: "correct horse")
        _ = try await service.authenticate(email: "ops@example.com", password: "correct horse", address: "10.0.0.1")
        for _ in 1...3 { _ = try? await service.authenticate(email: "ops@example.com", password: "wrong one!", address: "203.0.113.9") }
        // Then the right password from the stranger's address is refused, from the known one accepted
        await #expect(throws: DomainError.self) {
            _ = try await service.authenticate(email: "ops@example.com", password: "correct horse", address: "203.0.113.9")
        }
        let op = try await service.authenticate(email: "ops@example.com", password: "correct horse", address: "10.0.0.1")
        #expect(op.email == "ops@example.com")
    }

    @Test(arguments: ["short", String(repeating: "é", count: 40)])
    func weakOrOverlongPasswordsAreRefused(_ password: String) async {
        let service = OperatorService(store: MemoryOperatorStore(), hasher: RecordingHasher(), twoFactor: Self.codes)
        await #expect(throws: DomainError.self) { _ = try await service.create(email: "ops@example.com", password: password) }
    }
}
