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
    /// The client's address for rate limits and the audit log: the socket peer, or the first
    /// `X-Forwarded-For` hop when `TRUST_PROXY=true` (set by `ClientAddressMiddleware`).
    public var clientIP: String?
    public var userAgent: String?
    /// Facts inner middleware learn (the shop) for the request line written by the outermost one.
    public let trace = RequestTrace()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
        self.clientIP = remoteAddress
    }
}

/// The context of routes that act on one shop: the tenant is resolved and active, so handlers
/// never unwrap it. `TenantAuthMiddleware` sets `user` and `actor` when a valid token came along.
public struct TenantRequestContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let correlationID: String
    public let tenant: Tenant
    public let maxUploadSize: Int
    public let clientIP: String?
    public let userAgent: String?
    /// The signed-in user, as the database has it now.
    public var user: User?
    /// Who acts: the user with their current permissions, or an anonymous caller.
    public var actor: Actor

    public init(context: AppRequestContext) throws {
        guard let tenant = context.tenant else { throw DomainError.tenantNotFound }
        self.coreContext = context.coreContext
        self.correlationID = context.correlationID
        self.tenant = tenant
        self.maxUploadSize = context.maxUploadSize
        self.clientIP = context.clientIP
        self.userAgent = context.userAgent
        self.actor = .anonymous(ip: context.clientIP, userAgent: context.userAgent)
    }

    /// The signed-in user, or 401.
    public func requireUser() throws -> User {
        guard let user else { throw DomainError.unauthorized("Sign in first: a bearer token is required") }
        return user
    }

    /// The signed-in actor holding `permission`: 401 without a token, 403 without the permission.
    public func require(_ permission: Permission) throws -> Actor {
        _ = try requireUser()
        try actor.require(permission)
        return actor
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
