import EmporiumObservability
import Foundation
import Hummingbird

/// `/health` (the original spec's shape, 503 when any check fails), `/health/live` (the process
/// answers) and `/health/ready` (migrated and not shutting down). Answers are not enveloped:
/// probes and load balancers read them as they are.
struct HealthController {
    let reporter: HealthReporter
    let readiness: Readiness

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("health", use: health)
        router.get("health/live", use: live)
        router.get("health/ready", use: ready)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        let report = await reporter.report()
        return try JSONResponse.make(report, status: report.isHealthy ? .ok : .serviceUnavailable)
    }

    @Sendable func live(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(["status": "alive"], status: .ok)
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ready = readiness.isReady
        let state = ready ? "ready" : (readiness.isShuttingDown ? "shutting-down" : "starting")
        return try JSONResponse.make(ReadyAnswer(ready: ready, status: state), status: ready ? .ok : .serviceUnavailable)
    }

    struct ReadyAnswer: Encodable {
        let ready: Bool
        let status: String
    }
}

/// A JSON response with a chosen status, for answers outside the envelope.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
