import ArgumentParser
import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation

/// `emporium customer export|erase`: a customer's GDPR requests from the box's shell, for the
/// operator who receives them by mail (docs/security/gdpr.md). Same rules as the API.
struct CustomerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer", abstract: "Export or erase one customer's personal data (GDPR).", subcommands: [Export.self, Erase.self]
    )

    /// Which customer: by id or by e-mail address.
    struct Which: ParsableArguments {
        @Option(help: "Shop subdomain or id.") var tenant: String
        @Option(help: "The customer's user id.") var id: String?
        @Option(help: "The customer's e-mail address.") var email: String?

        func resolve(_ environment: CommandEnvironment) async throws -> (shop: Tenant, userID: UUID) {
            let shop = try await environment.deps.tenants.find(tenant)
            switch (id, email) {
            case (let id?, nil):
                guard let userID = UUID(uuidString: id) else { throw DomainError.invalid("id", "must be a UUID") }
                return (shop, userID)
            case (nil, let email?):
                let user = try await environment.backend.tenantStorage.read(shop.id) { tx in try tx.users.user(email: email) }
                guard let user else { throw DomainError.notFound("No user \(email) in \(shop.subdomain)") }
                return (shop, user.id)
            default:
                throw DomainError.invalid("id", "give exactly one of --id and --email")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write everything the shop holds about one person as JSON.")

        @OptionGroup var which: Which
        @Option(help: "Write to this file (created owner-only) instead of standard output.") var out: String?

        func run() async throws {
            try await CommandEnvironment.using { environment in
                let (shop, userID) = try await which.resolve(environment)
                let data = try await environment.deps.privacy.export(in: shop.id, userID: userID, by: .commandLine)
                let json = try CustomerDataDocument.json(data, shop: shop)
                if let out {
                    guard FileManager.default.createFile(atPath: out, contents: json, attributes: [.posixPermissions: 0o600]) else {
                        throw DomainError.conflict("Cannot write \(out)")
                    }
                    print("Wrote \(out): \(data.orders.count) orders, \(data.addresses.count) addresses, \(data.auditEntries.count) audit entries")
                } else {
                    FileHandle.standardOutput.write(json + Data("\n".utf8))
                }
            }
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a customer: anonymise their orders, delete the rest, record the erasure in the audit log."
        )

        @OptionGroup var which: Which
        @Flag(help: "Confirm: the erasure cannot be undone (backups keep the data until they age out).") var yes = false

        func run() async throws {
            guard yes else { throw DomainError.invalid("yes", "erasure cannot be undone; pass --yes to confirm") }
            try await CommandEnvironment.using { environment in
                let (shop, userID) = try await which.resolve(environment)
                let report = try await environment.deps.privacy.erase(in: shop.id, userID: userID, by: .commandLine)
                print("Erased \(userID.lowercased) in \(shop.subdomain): \(report.ordersAnonymised) orders anonymised, "
                      + "\(report.addressesDeleted) addresses deleted, \(report.auditEntriesScrubbed) audit entries scrubbed")
            }
        }
    }
}
