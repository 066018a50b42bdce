import ArgumentParser
import EmporiumCore
import EmporiumHTTP
import Foundation

struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator", abstract: "Manage platform operators.", subcommands: [Create.self]
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
}
