import ArgumentParser
import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation

struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant", abstract: "Manage shops (tenants).",
        subcommands: [Create.self, List.self, Suspend.self, Activate.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a shop and its database; prints it as JSON.")

        @Option(help: "Shop name.") var name: String
        @Option(help: "DNS label the shop is reached by.") var subdomain: String
        @Option(help: "Custom domain, e.g. shop.example.com.") var domain: String?
        @Option(help: "Plan name (default: basic).") var plan: String?

        func run() async throws {
            let environment = try CommandEnvironment.open()
            let tenant = try await environment.deps.tenants.create(NewTenant(name: name, subdomain: subdomain, domain: domain, plan: plan))
            print(try Output.json(TenantDTO(tenant)))
            await environment.close()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List shops, oldest first: all of them, or one page with --page (an agency may host thousands).")

        @Flag(help: "Print a JSON array instead of a table.") var json = false
        @Option(help: "Print only this page (1 is the first).") var page: String?
        @Option(help: "Shops per page with --page, 1 to \(Page.maximumLimit) (default 100).") var limit: String?

        func run() async throws {
            let environment = try CommandEnvironment.open()
            var shown: [Tenant] = []
            if page != nil || limit != nil {
                let requested = try Page.parse(page: page, limit: limit, defaultLimit: Page.maximumLimit)
                let (found, total) = try await environment.deps.tenants.list(status: nil, page: requested)
                shown = found
                if !json {
                    let pages = max(1, Pagination(requested, total: total).totalPages)
                    print("page \(requested.page) of \(pages), \(total) shop(s)")
                }
            } else {
                while true {
                    let batch = try await environment.backend.tenants.list(status: nil, offset: shown.count, limit: 100)
                    shown += batch
                    if batch.count < 100 { break }
                }
            }
            if json {
                print(try Output.json(shown.map(TenantDTO.init)))
            } else {
                print(["ID".padding(toLength: 36, withPad: " ", startingAt: 0), "SUBDOMAIN".padding(toLength: 20, withPad: " ", startingAt: 0),
                       "STATUS   ", "NAME"].joined(separator: "  "))
                for tenant in shown {
                    print([tenant.id.uuidString.lowercased(), tenant.subdomain.padding(toLength: 20, withPad: " ", startingAt: 0),
                           tenant.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0), tenant.name].joined(separator: "  "))
                }
            }
            await environment.close()
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend a shop: its API answers TENANT_SUSPENDED, data is kept.")
        @Argument(help: "Subdomain or id.") var tenant: String

        func run() async throws {
            try await TenantCommand.setStatus(of: tenant, to: .suspended, saying: "Suspended")
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-activate a suspended shop.")
        @Argument(help: "Subdomain or id.") var tenant: String

        func run() async throws {
            try await TenantCommand.setStatus(of: tenant, to: .active, saying: "Activated")
        }
    }

    static func setStatus(of tenant: String, to status: TenantStatus, saying verb: String) async throws {
        let environment = try CommandEnvironment.open()
        let updated = try await environment.deps.tenants.setStatus(tenant, to: status)
        print("\(verb) \(updated.subdomain)")
        await environment.close()
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a shop after archiving its database under backups/deleted/.")
        @Argument(help: "Subdomain or id.") var tenant: String

        func run() async throws {
            let environment = try CommandEnvironment.open()
            let result = try await environment.deps.tenants.delete(tenant)
            print("Deleted \(result.tenant.subdomain); archived as backups/deleted/\(result.archive)")
            await environment.close()
        }
    }
}
