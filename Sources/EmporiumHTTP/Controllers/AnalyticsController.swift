import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/analytics`: the dashboard and the sales report, for `analytics:read`.
struct AnalyticsController {
    let analytics: AnalyticsService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("analytics/dashboard", use: dashboard)
            .get("analytics/reports/sales.csv", use: salesReport)
    }

    @Sendable func dashboard(_ request: Request, context: TenantRequestContext) async throws -> Envelope<DashboardDTO> {
        let actor = try context.require(.analyticsRead)
        let query = request.uri.queryParameters
        let dashboard = try await analytics.dashboard(in: context.tenant, period: query["period"].map(String.init),
                                                      from: query["from"].map(String.init), to: query["to"].map(String.init), by: actor)
        return Envelope(DashboardDTO(dashboard, currency: context.tenant.currency, timeZone: context.tenant.timeZoneName))
    }

    /// Streams the report: the header at once, then one buffer per chunk of lines, so a report of
    /// any length needs the memory of one chunk. A failure after the first bytes can only cut the
    /// response short (the client sees a truncated body, never a wrong one).
    @Sendable func salesReport(_ request: Request, context: TenantRequestContext) async throws -> Response {
        let actor = try context.require(.analyticsRead)
        let query = request.uri.queryParameters
        let range = try analytics.salesReport(in: context.tenant, from: query["from"].map(String.init), to: query["to"].map(String.init), by: actor)
        let lines = analytics.salesLines(in: context.tenant.id, range)
        let name = "sales-\(context.tenant.subdomain)-\(range.days.first ?? "")-\(range.days.last ?? "").csv"
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8; header=present"
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: SalesCSV.headerRow()))
            for try await chunk in lines {
                var text = ""
                text.reserveCapacity(chunk.count * 200)
                for line in chunk { text += SalesCSV.row(line) }
                try await writer.write(ByteBuffer(string: text))
            }
            try await writer.finish(nil)
        })
    }
}
