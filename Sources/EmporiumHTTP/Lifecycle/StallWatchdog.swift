import EmporiumObservability
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Notices when the process stops answering: every `interval` it asks each NIO event loop (which
/// reads and writes every connection) and Swift's task executor (which runs every handler) to run
/// a tick, and measures how late each tick runs. One process serves every shop, so a loop blocked
/// by a synchronous call — an fsync, a lock held across I/O, a long computation — stalls every
/// shop's requests at once. The load harness prints these stalls per scenario (docs/performance.md,
/// "Speed at scale"). Lateness goes to `event_loop_lag_seconds`; a tick later
/// than `threshold` is also logged as a warning naming the executor, so a stall in production
/// shows in the log with its time.
public struct StallWatchdog: Service {
    let group: any EventLoopGroup
    let metrics: EmporiumMetrics
    let logger: Logger
    let interval: Duration
    let threshold: Duration

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, metrics: EmporiumMetrics, logger: Logger,
                interval: Duration = .milliseconds(10), threshold: Duration = .milliseconds(50)) {
        self.group = group
        self.metrics = metrics
        self.logger = logger
        self.interval = interval
        self.threshold = threshold
    }

    public func run() async throws {
        let period = TimeAmount(interval)
        var ticks: [RepeatedTask] = []
        for (index, loop) in group.makeIterator().enumerated() {
            let last = Mutex(NIODeadline.now())
            let name = "event-loop-\(index)"
            ticks.append(loop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
                let now = NIODeadline.now()
                let late = last.withLock { previous in
                    defer { previous = now }
                    return now - previous - period
                }
                record(Duration.nanoseconds(max(0, late.nanoseconds)), executor: name)
            })
        }
        defer { ticks.forEach { $0.cancel() } }
        // The task executor: a sleeping task that wakes late means every handler waited as long.
        let clock = ContinuousClock()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let asleep = clock.now
            do {
                let pause = interval
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            } catch {
                return
            }
            record(max(.zero, clock.now - asleep - interval), executor: "tasks")
        }
    }

    private func record(_ late: Duration, executor: String) {
        metrics.eventLoopLag(late, executor: executor)
        if late >= threshold {
            let milliseconds = late.components.seconds * 1000 + late.components.attoseconds / 1_000_000_000_000_000
            logger.warning("Stall: \(executor) ran \(milliseconds) ms late", metadata: ["stallMs": "\(milliseconds)", "executor": "\(executor)"])
        }
    }
}
