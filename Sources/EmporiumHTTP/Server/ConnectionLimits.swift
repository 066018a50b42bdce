import EmporiumCore
import Foundation

/// How long a connection may sit or dawdle, and how many one client address may hold
/// (`IDLE_TIMEOUT`, `HEADER_TIMEOUT`, `BODY_TIMEOUT`, `WRITE_TIMEOUT`, `MAX_CONNECTIONS_PER_CLIENT`). Without these a
/// client that opens connections and sends nothing, or sends a header a byte a minute, holds a
/// descriptor of the one process that serves every shop.
public struct ConnectionLimits: Sendable {
    /// A connection with no request in progress is closed after this long.
    public var idleTimeout: TimeInterval
    /// From the first byte of a request to the end of its header block.
    public var headerTimeout: TimeInterval
    /// From the end of the header block to the end of the body.
    public var bodyTimeout: TimeInterval
    /// While an answer cannot be written because the client does not read it: at most this long
    /// without the send buffer draining.
    public var writeTimeout: TimeInterval
    /// Open connections one client address may hold; past it, new ones are closed at once.
    /// Addresses in `exempt` (the trusted proxies, which carry everyone's traffic) are not counted.
    public var maxConnectionsPerClient: Int
    public var exempt: [IPNetwork]

    public init(idleTimeout: TimeInterval = 60, headerTimeout: TimeInterval = 10, bodyTimeout: TimeInterval = 30,
                writeTimeout: TimeInterval = 60, maxConnectionsPerClient: Int = 128, exempt: [IPNetwork] = []) {
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.writeTimeout = writeTimeout
        self.maxConnectionsPerClient = maxConnectionsPerClient
        self.exempt = exempt
    }
}
