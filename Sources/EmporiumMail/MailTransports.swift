import EmporiumCore

/// The transport `MAIL_URL` names, or nil when mail is off.
public enum MailTransports {
    public static func make(_ url: MailURL?, from: MailAddress?) -> (any MailTransport)? {
        guard let url, let from else { return nil }
        switch url.kind {
        case .smtp, .smtps: return SMTPTransport(url: url, heloName: from.domain)
        case .sendmail: return SendmailTransport(program: url.program)
        }
    }
}
