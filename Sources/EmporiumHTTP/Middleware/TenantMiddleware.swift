import Logging
import Foundation
import EmporiumCore
import Hummingbird

/// Resolves the shop a request is for (DESIGN.md §5): the `X-Tenant-ID` header (UUID or subdomain),
/// else `Host` = `<subdomain>.<BASE_DOMAIN>`, else `Host` = a shop's custom domain, else
/// `DEFAULT_TENANT` (a one-shop box reached by its IP or a name no shop claims).
/// Throws `tenantNotFound` (404) or `tenantSuspended` (403). Runs after `ErrorMiddleware`.
struct TenantMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let directory: TenantDirectory
    let baseDomain: String?
    let defaultTenant: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var tenant: Tenant?
        if let reference = request.headers[.tenantID] {
            tenant = try await directory.resolve(reference: reference)
        } else {
            if let host = request.head.authority {
                tenant = try await directory.resolve(host: host, baseDomain: baseDomain)
            }
            if tenant == nil, let defaultTenant {
                tenant = try await directory.resolve(reference: defaultTenant)
            }
        }
        guard let tenant else { throw DomainError.tenantNotFound }
        guard tenant.status == .active else { throw DomainError.tenantSuspended }
        var context = context
        context.tenant = tenant
        context.logger[metadataKey: "tenantId"] = .string(tenant.id.lowercased)
        context.trace.tenantID = tenant.id.lowercased
        return try await next(request, context)
    }
}
