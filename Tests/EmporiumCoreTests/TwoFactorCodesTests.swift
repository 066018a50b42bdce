import EmporiumCore
import Foundation
import Synchronization
import Testing

@Suite("TOTP (RFC 6238) and the second factor's rules")
struct TwoFactorCodesTests {
    /// RFC 6238 appendix B, SHA-1 rows: the 20-byte ASCII secret "12345678901234567890", 8 digits.
    @Test(arguments: [
        (59.0, "94287082"), (1_111_111_109.0, "07081804"), (1_111_111_111.0, "14050471"),
        (1_234_567_890.0, "89005924"), (2_000_000_000.0, "69279037"), (20_000_000_000.0, "65353130"),
    ])
    func matchesTheRFCTestVectors(_ time: Double, _ expected: String) {
        let totp = TOTP(secret: Array("12345678901234567890".utf8), digits: 8)
        #expect(totp.code(at: Date(timeIntervalSince1970: time)) == expected)
    }

    /// RFC 4648 §10 vectors, and the RFC 6238 secret as apps see it.
    @Test func base32RoundTripsTheRFCVectors() {
        let vectors = [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")]
        for (plain, encoded) in vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base32.encode(Array("12345678901234567890".utf8)) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(Base32.decode("gezd gnbv-gy3t====") == Base32.decode("GEZDGNBVGY3T"))
        #expect(Base32.decode("GEZ1") == nil)
    }

    /// The phone's clock may be one step (30 s) either side of the server's; two steps is refused.
    @Test(arguments: [-30.0, -1.0, 0.0, 19.0, 30.0, 49.0])
    func acceptsOneStepOfClockSkew(_ skew: Double) {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let server = Date(timeIntervalSince1970: 1_700_000_020)  // 10 s into a step
        let phone = server.addingTimeInterval(skew)
        #expect(totp.matchingStep(of: totp.code(at: phone)!, at: server) != nil, "skew \(skew)")
    }

    @Test(arguments: [-41.0, -60.0, 50.0, 90.0])
    func refusesTwoStepsOfClockSkew(_ skew: Double) {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let server = Date(timeIntervalSince1970: 1_700_000_020)
        let code = totp.code(at: server.addingTimeInterval(skew))!
        // A code two steps away could equal a nearby step's by chance (1 in a million); not with this secret.
        #expect(totp.matchingStep(of: code, at: server) == nil, "skew \(skew)")
    }

    @Test(arguments: ["", "12345", "1234567", "12345a", "١٢٣٤٥٦", " 123456"])
    func refusesCodesThatAreNotSixDigits(_ code: String) {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        #expect(totp.matchingStep(of: code, at: Date()) == nil)
    }

    final class Clock: Sendable {
        let current = Mutex(Date(timeIntervalSince1970: 1_700_000_010))
        var now: Date { current.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    func enrolled(_ clock: Clock, throttle: LoginThrottle = LoginThrottle()) throws -> (TwoFactorCodes, TwoFactorCredential, TOTP, [String]) {
        let codes = TwoFactorCodes(box: SecretBox(encryptionKey: "unit-test-key"), throttle: throttle, now: { clock.now })
        var (credential, setup) = try codes.newCredential(account: "owner@example.com", issuer: "Tea & Co")
        let recovery = codes.newRecoveryCodes()
        credential.confirmedAt = clock.now
        credential.recoveryCodeHashes = recovery.hashes
        #expect(!credential.sealedSecret.contains(setup.secret))
        #expect(setup.otpauthURI.hasPrefix("otpauth://totp/Tea%20%26%20Co:owner@example.com?secret=\(setup.secret)&issuer=Tea%20%26%20Co"))
        return (codes, credential, TOTP(secret: try #require(Base32.decode(setup.secret))), recovery.codes)
    }

    /// RFC 6238 §5.2: a code is good once, even within its own 30 s.
    @Test func aCodeIsAcceptedOnce() throws {
        let clock = Clock()
        let (codes, credential, totp, _) = try enrolled(clock)
        let code = try #require(totp.code(at: clock.now))
        guard case .accepted(let spent, usedRecoveryCode: false) = try codes.check(code, against: credential) else {
            Issue.record("the current code was refused"); return
        }
        guard case .rejected = try codes.check(code, against: spent) else { Issue.record("a replayed code passed"); return }
        // The previous step's code is older than the one spent: refused too.
        guard case .rejected = try codes.check(try #require(totp.code(at: clock.now.addingTimeInterval(-30))), against: spent) else {
            Issue.record("an older step passed after a newer one"); return
        }
        clock.advance(30)
        guard case .accepted = try codes.check(try #require(totp.code(at: clock.now)), against: spent) else {
            Issue.record("the next step's code was refused"); return
        }
    }

    @Test func aRecoveryCodeWorksOnceInAnyCaseAndWithoutItsDash() throws {
        let clock = Clock()
        let (codes, credential, _, recovery) = try enrolled(clock)
        #expect(recovery.count == 10 && Set(recovery).count == 10)
        #expect(recovery.allSatisfy { $0.count == 11 && $0.dropFirst(5).first == "-" })
        // Stored salted (a salt of 64 bits each), never as the code or its bare hash.
        #expect(credential.recoveryCodeHashes.allSatisfy { $0.count == 16 + 1 + 64 && $0.dropFirst(16).first == ":" })
        #expect(Set(credential.recoveryCodeHashes.map { $0.prefix(16) }).count == 10)
        let typed = recovery[3].uppercased().replacingOccurrences(of: "-", with: "")
        guard case .accepted(let spent, usedRecoveryCode: true) = try codes.check(typed, against: credential) else {
            Issue.record("a recovery code was refused"); return
        }
        #expect(spent.recoveryCodeHashes.count == 9)
        guard case .rejected = try codes.check(recovery[3], against: spent) else { Issue.record("a used recovery code passed"); return }
        guard case .rejected = try codes.check(recovery[4], against: credential, allowRecovery: false) else {
            Issue.record("a recovery code confirmed an enrolment"); return
        }
    }

    /// Five wrong codes lock the factor for the lock duration, the right code included; the lock ends by itself.
    @Test func wrongCodesLockTheFactor() throws {
        let clock = Clock()
        let (codes, start, totp, _) = try enrolled(clock, throttle: LoginThrottle(maxAttempts: 5, lockDuration: 900))
        var credential = start
        for attempt in 1...5 {
            guard case .rejected(let counted, let lockedUntil) = try codes.check("000000", against: credential) else {
                Issue.record("a wrong code passed"); return
            }
            credential = counted
            #expect((lockedUntil != nil) == (attempt == 5))
        }
        guard case .locked(let until) = try codes.check(try #require(totp.code(at: clock.now)), against: credential) else {
            Issue.record("the right code passed a locked factor"); return
        }
        #expect(until == clock.now.addingTimeInterval(900))
        clock.advance(901)
        guard case .accepted(let unlocked, _) = try codes.check(try #require(totp.code(at: clock.now)), against: credential) else {
            Issue.record("the lock did not end"); return
        }
        #expect(unlocked.failures == 0 && unlocked.lockedUntil == nil)
    }

    @Test func aRotatedKeyReseals() throws {
        let clock = Clock()
        let old = TwoFactorCodes(box: SecretBox(encryptionKey: "old-key"), now: { clock.now })
        let (credential, setup) = try old.newCredential(account: "a@example.com", issuer: "Shop")
        let rotated = TwoFactorCodes(box: SecretBox(encryptionKey: "new-key", previous: .init(value: "old-key", until: clock.now.addingTimeInterval(86_400)),
                                                    now: { clock.now }), now: { clock.now })
        let resealed = try #require(rotated.resealed(credential))
        #expect(rotated.resealed(resealed) == nil)
        let current = TwoFactorCodes(box: SecretBox(encryptionKey: "new-key"), now: { clock.now })
        var confirmed = resealed
        confirmed.confirmedAt = clock.now
        let secret = try #require(Base32.decode(setup.secret))
        let code = try #require(TOTP(secret: secret).code(at: clock.now))
        guard case .accepted = try current.check(code, against: confirmed) else { Issue.record("the resealed secret did not verify"); return }
    }
}
