import Foundation
import EmporiumCore
import Hummingbird
import NIOCore

/// The context every request starts with. Middleware fills it in, outermost first:
/// `CorrelationMiddleware` sets `correlationID`, `BodyLimitMiddleware` sets `maxUploadSize`,
/// `TenantMiddleware` sets `tenant`, `OperatorAuthMiddleware` sets `platformOperator`.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var correlationID = ""
    public var tenant: Tenant?
    public var platformOperator: OperatorPrincipal?
    public var maxUploadSize = 1_048_576
    /// The peer's IP address as the socket saw it.
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// The context of routes that act on one shop: the tenant is resolved and active, so handlers
/// never unwrap it.
public struct TenantRequestContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let correlationID: String
    public let tenant: Tenant
    public let maxUploadSize: Int

    public init(context: AppRequestContext) throws {
        guard let tenant = context.tenant else { throw DomainError.tenantNotFound }
        self.coreContext = context.coreContext
        self.correlationID = context.correlationID
        self.tenant = tenant
        self.maxUploadSize = context.maxUploadSize
    }
}

/// The context of `/platform/...` routes after the operator's token has been verified.
public struct PlatformRequestContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let correlationID: String
    public let principal: OperatorPrincipal
    public let maxUploadSize: Int

    public init(context: AppRequestContext) throws {
        guard let principal = context.platformOperator else { throw DomainError.unauthorized("A platform operator token is required") }
        self.coreContext = context.coreContext
        self.correlationID = context.correlationID
        self.principal = principal
        self.maxUploadSize = context.maxUploadSize
    }
}
