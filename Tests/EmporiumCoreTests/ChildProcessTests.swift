import EmporiumCore
import EmporiumSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `ChildProcess` starts rsync and reload commands from inside the server: the child must get what
/// it expects (its own output, default signals, no stray descriptors) and the server its status.
@Suite("Child processes: status, output and what the child inherits")
struct ChildProcessTests {
    @Test func reportsTheExitStatusAndWhatTheChildWrote() throws {
        let finished = try ChildProcess.run("/bin/sh", ["-c", "printf out; printf err >&2; exit 3"], captureOutput: true)
        #expect(finished.status == 3)
        #expect(String(decoding: finished.output, as: UTF8.self) == "out")
        #expect(String(decoding: finished.errors, as: UTF8.self) == "err")

        let quiet = try ChildProcess.run("/bin/sh", ["-c", "printf out"])
        #expect(quiet.status == 0)
        #expect(quiet.output.isEmpty)
    }

    @Test func aChildEndedBySignalReportsItAsAShellDoes() throws {
        let finished = try ChildProcess.run("/bin/sh", ["-c", "kill -TERM $$"])
        #expect(finished.status == 128 + SIGTERM)
    }

    @Test func keepsOnlyTheLastBytesOfAChattyChild() throws {
        // 1 MiB on stderr and stdout each, read side by side: neither pipe may fill up and stall it.
        let finished = try ChildProcess.run("/bin/sh", ["-c", "head -c 1048576 /dev/zero >&2; head -c 1048576 /dev/zero; printf end >&2"],
                                            captureOutput: true, keep: 1_000)
        #expect(finished.status == 0)
        #expect(finished.output.count == 1_000)
        #expect(finished.errors.count == 1_000)
        #expect(finished.errors.suffix(3) == Data("end".utf8))

        let nothingKept = try ChildProcess.run("/bin/sh", ["-c", "printf abc >&2"], keep: -1)
        #expect(nothingKept.status == 0 && nothingKept.errors.isEmpty)
    }

    @Test func theChildInheritsNoDescriptorOfTheServer() throws {
        let opened = open("/dev/null", O_RDONLY)  // no close-on-exec, as a careless library might
        defer { close(opened) }
        #expect(opened > 2)
        let finished = try ChildProcess.run("/bin/sh", ["-c", "ls /proc/$$/fd"], captureOutput: true)
        let descriptors = String(decoding: finished.output, as: UTF8.self).split(separator: "\n").compactMap { Int32($0) }
        #expect(descriptors.contains(0) && descriptors.contains(1) && descriptors.contains(2))
        #expect(!descriptors.contains(opened), "\(descriptors)")
    }

    @Test func theChildStartsWithNoSignalBlockedOrIgnored() throws {
        // A server ignores signals its lifecycle handles and blocks others; rsync must inherit neither.
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR1)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let previousPipe = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previousPipe) }

        let finished = try ChildProcess.run("/bin/sh", ["-c", "grep -E '^Sig(Blk|Ign):' /proc/self/status"], captureOutput: true)
        let masks = Dictionary(uniqueKeysWithValues: String(decoding: finished.output, as: UTF8.self).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: ":")
            return parts.count == 2 ? (String(parts[0]), UInt64(parts[1].trimmingCharacters(in: .whitespaces), radix: 16)) : nil
        })
        let blockedInChild = try #require(masks["SigBlk"] ?? nil), ignoredInChild = try #require(masks["SigIgn"] ?? nil)
        #expect(blockedInChild == 0)
        // glibc keeps its own two real-time signals (32, 33) out of reach; every standard one is default.
        for number in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCHLD] {
            #expect(ignoredInChild & (1 << UInt64(number - 1)) == 0, "signal \(number) ignored in the child")
        }
    }

    @Test func aProgramThatDoesNotExistIsAnError() {
        #expect(throws: ChildProcess.Failure.self) { try ChildProcess.run("/nonexistent/program", []) }
    }
}
