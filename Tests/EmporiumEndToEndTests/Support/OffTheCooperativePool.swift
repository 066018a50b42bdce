import Foundation
import Testing

/// Runs every job of a test on a thread of its own instead of Swift's cooperative pool.
///
/// Why: `swift test` runs every test target in one process, and the cooperative pool is as wide as
/// the cores (two in CI). These tests block for seconds at a time (sockets, child processes,
/// `Thread.sleep`), sixteen suites at once; on the pool they held up every async test beside them,
/// whose live servers then answered in 8 s or not within the test client's 20 s.
final class ThreadPerJobExecutor: TaskExecutor {
    static let shared = ThreadPerJobExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        Thread { job.runSynchronously(on: executor) }.start()
    }
}

/// `@Suite(…, .offTheCooperativePool)`: each test of the suite runs on `ThreadPerJobExecutor`.
struct OffTheCooperativePool: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) { try await function() }
    }
}

extension Trait where Self == OffTheCooperativePool {
    static var offTheCooperativePool: Self { OffTheCooperativePool() }
}
