import EmporiumHTTP
import EmporiumObservability
import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP reopens the log files, so logrotate (or a person) can move them away and the server
/// starts fresh ones at the same paths without a restart, and reloads the TLS certificate and key
/// (a renewal takes effect for new connections; a broken pair is logged and the old one kept).
/// Ends with the graceful shutdown.
struct LogReopenService: Service {
    let output: LogOutput
    let tls: TLSCertificates?
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangups {
                output.reopen()
                logger.info("Reopened the log files after SIGHUP")
                if let tls {
                    do {
                        try tls.reload()
                        logger.info("Reloaded the TLS certificate after SIGHUP", metadata: ["file": "\(tls.certificateFile)"])
                    } catch {
                        logger.error("Kept the previous TLS certificate: the new one cannot be used", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }
}
