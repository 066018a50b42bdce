import ArgumentParser
import EmporiumCore
import EmporiumSupport
import Foundation

/// `emporium health-check`: asks the local server's `/health/live` and exits 0 only on a 200.
///
/// Container images have no curl; Docker's `HEALTHCHECK` runs this instead. It speaks just enough
/// HTTP/1.1 over a plain socket (no FoundationNetworking, so the binary gains no libcurl dependency).
struct HealthCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health-check", abstract: "Exit 0 when the local server answers /health/live with 200 (for container health checks)."
    )

    @Option(help: "Port to ask; defaults to PORT from the configuration.")
    var port: Int?

    @Option(help: "Path to ask.")
    var path = "/health/live"

    @Option(help: "Seconds to wait for the answer.")
    var timeout = 3

    func run() throws {
        let target = try port ?? ConfigLoader.fromProcess().port()
        let status: Int
        do {
            status = try LoopbackHTTPProbe.status(port: target, path: path, timeoutSeconds: timeout)
        } catch let failure as LoopbackHTTPProbe.Failure {
            throw HealthCheckFailed(message: failure.description)
        }
        guard status == 200 else {
            throw HealthCheckFailed(message: "127.0.0.1:\(target)\(path) answered \(status)")
        }
        print("healthy: 127.0.0.1:\(target)\(path) answered 200")
    }
}

/// One line on stderr and exit status 1, like every other command error.
struct HealthCheckFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { "unhealthy: \(message)" }
}
