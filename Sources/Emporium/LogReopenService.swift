import EmporiumObservability
import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP reopens the log files, so logrotate (or a person) can move them away and the server
/// starts fresh ones at the same paths without a restart. Ends with the graceful shutdown.
struct LogReopenService: Service {
    let output: LogOutput
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangups {
                output.reopen()
                logger.info("Reopened the log files after SIGHUP")
            }
        }
    }
}
