import Foundation

/// A shop's own versions of its messages; a topic without one is sent with its default.
public protocol MailTemplateRepository {
    func template(_ topic: MailTopic) throws -> MailTemplate?
    func customized() throws -> [MailTopic: (template: MailTemplate, updatedAt: Date)]
    func save(_ template: MailTemplate, for topic: MailTopic, at: Date) throws
    /// Returns false when the shop had no version of its own.
    func delete(_ topic: MailTopic) throws -> Bool
}
