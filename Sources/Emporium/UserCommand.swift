import ArgumentParser
import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage a shop's users.", subcommands: [Create.self, TwoFactorReset.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user in a shop (any role, owners included).")

        @Option(help: "Shop subdomain or id.") var tenant: String
        @Option(help: "Email address used to sign in.") var email: String
        @Option(help: "Password (prefer --password-stdin).") var password: String?
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
        @Option(help: "owner, admin, manager, staff or customer.") var role: String
        @Option(help: "First name.") var firstName = "Shop"
        @Option(help: "Last name.") var lastName = "User"

        func run() async throws {
            guard let role = Role(rawValue: role.lowercased()) else {
                throw DomainError.invalid("role", "must be one of " + Role.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let secret = try Output.password(password, fromStdin: passwordStdin)
            let environment = try CommandEnvironment.open()
            let shop = try await environment.deps.tenants.find(tenant)
            let user = try await environment.deps.users.create(
                in: shop.id, .init(email: email, password: secret, firstName: firstName, lastName: lastName, role: role), by: .commandLine
            )
            print("Created \(user.role.rawValue) \(user.email) (\(user.id.lowercased)) in \(shop.subdomain)")
            await environment.close()
        }
    }

    /// The way back for the last owner who lost both phone and recovery codes: only someone with
    /// a shell on the box can do it, and the shop's audit log records it.
    struct TwoFactorReset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "two-factor-reset", abstract: "Remove a user's second factor and end their sessions (lost phone)."
        )

        @Option(help: "Shop subdomain or id.") var tenant: String
        @Option(help: "The user's e-mail address.") var email: String

        func run() async throws {
            try await CommandEnvironment.using { environment in
                let shop = try await environment.deps.tenants.find(tenant)
                let address = email.trimmingCharacters(in: .whitespaces).lowercased()
                let user = try await environment.backend.tenantStorage.read(shop.id) { tx in try tx.users.user(email: address) }
                guard let user else { throw DomainError.notFound("No user \(address) in \(shop.subdomain)") }
                try await environment.deps.twoFactor.reset(in: shop.id, userID: user.id, by: .commandLine)
                print("Removed the second factor of \(user.email) in \(shop.subdomain); their sessions are signed out")
            }
        }
    }
}
