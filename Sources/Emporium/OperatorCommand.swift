import ArgumentParser
import EmporiumCore
import EmporiumHTTP
import Foundation

struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator", abstract: "Manage platform operators.", subcommands: [Create.self, TwoFactorReset.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a platform operator who can sign in to /platform.")

        @Option(help: "Email address used to sign in.") var email: String
        @Option(help: "Password (prefer --password-stdin).") var password: String?
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
        @Option(help: "First name.") var firstName = "Platform"
        @Option(help: "Last name.") var lastName = "Operator"

        func run() async throws {
            let secret = try Output.password(password, fromStdin: passwordStdin)
            let environment = try CommandEnvironment.open()
            let op = try await environment.deps.operators.create(email: email, password: secret, firstName: firstName, lastName: lastName)
            print("Created operator \(op.email) (\(op.id.uuidString.lowercased()))")
            await environment.close()
        }
    }

    struct TwoFactorReset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "two-factor-reset", abstract: "Remove an operator's second factor (lost phone and recovery codes)."
        )

        @Option(help: "The operator's e-mail address.") var email: String

        func run() async throws {
            try await CommandEnvironment.using { environment in
                let removed = try await environment.deps.operators.resetTwoFactor(email: email)
                print(removed ? "Removed the second factor of operator \(email)" : "Operator \(email) had no second factor")
            }
        }
    }
}
