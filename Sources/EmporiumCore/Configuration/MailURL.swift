import Foundation

/// `MAIL_URL`: how this box sends mail, configured once for every shop.
/// - `smtp://user:pass@host:587`: SMTP submission with STARTTLS, required except to a loopback host;
/// - `smtps://user:pass@host:465`: SMTP over TLS from the first byte;
/// - `sendmail:///usr/sbin/sendmail`: hand each message to the system's mail transfer agent
///   (Postfix, Exim, msmtp), which queues, retries and signs (DKIM) on its own.
/// User and password are percent-decoded; `?verify=none` is refused (a mail server's certificate is
/// always checked), `?ca=/path` names extra trusted roots.
public struct MailURL: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case smtp, smtps, sendmail
    }

    public var kind: Kind
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    /// `sendmail://` only: the program to run.
    public var program: String
    /// PEM file of roots trusted besides the system's (`?ca=`), e.g. a test's own authority.
    public var trustRoots: String?

    public static func parse(_ raw: String) throws -> MailURL {
        func invalid(_ why: String) -> ConfigError { ConfigError.invalid(variable: "MAIL_URL", value: MailURL.redacted(raw), expected: why) }
        guard let components = URLComponents(string: raw), let scheme = components.scheme?.lowercased(), let kind = Kind(rawValue: scheme) else {
            throw invalid("must start with smtp://, smtps:// or sendmail://")
        }
        var trustRoots: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "ca":
                guard let path = item.value, path.hasPrefix("/") else { throw invalid("ca= must be an absolute path to a PEM file") }
                trustRoots = path
            default:
                throw invalid("unknown option \(item.name)= (only ca= is known)")
            }
        }
        switch kind {
        case .sendmail:
            let program = components.path
            guard program.hasPrefix("/"), !program.contains(".."), components.host?.isEmpty ?? true else {
                throw invalid("sendmail:// takes the program's absolute path, e.g. sendmail:///usr/sbin/sendmail")
            }
            return MailURL(kind: .sendmail, host: "", port: 0, program: program, trustRoots: nil)
        case .smtp, .smtps:
            guard let host = components.host, !host.isEmpty else { throw invalid("needs a host, e.g. smtp://user:pass@mail.example.com:587") }
            let port = components.port ?? (kind == .smtps ? 465 : 587)
            guard (1...65535).contains(port) else { throw invalid("port must be 1 to 65535") }
            guard components.path.isEmpty || components.path == "/" else { throw invalid("takes no path") }
            let user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
            let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
            if (user == nil) != (password == nil) { throw invalid("give both a user and a password, or neither") }
            return MailURL(kind: kind, host: host, port: port, username: user, password: password, program: "", trustRoots: trustRoots)
        }
    }

    /// The raw value with any password masked, for an error message.
    static func redacted(_ raw: String) -> String {
        guard let at = raw.lastIndex(of: "@"), let schemeEnd = raw.range(of: "://"), schemeEnd.upperBound < at else { return raw }
        let credentials = raw[schemeEnd.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return raw }
        return String(raw[..<colon]) + ":********" + String(raw[at...])
    }

    /// Whether `host` is this machine, where plain SMTP without STARTTLS is allowed.
    public var isLoopback: Bool {
        ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased()) || host.hasPrefix("127.")
    }

    /// The URL without its password, for logs and `emporium config`.
    public var description: String {
        switch kind {
        case .sendmail: return "sendmail://\(program)"
        case .smtp, .smtps:
            let user = username.map { "\($0):********@" } ?? ""
            return "\(kind.rawValue)://\(user)\(host):\(port)"
        }
    }
}
