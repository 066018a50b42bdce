import EmporiumCore
import Foundation
import Synchronization
import Testing

/// A node's platform API as the fleet procedures see it, scripted per test: what each call
/// answers or throws, and every call made, in order.
final class FakeNode: FleetNode, @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let name: String
    let calls = Mutex<[String]>([])
    /// What the export writes and says it sent.
    var exportBody = Data("shop file".utf8)
    var announcedSHA256: String?
    /// The checksum the node reports for an imported file (nil: the one it was sent).
    var importedSHA256: String?
    var importedShopID: UUID?
    var frozenFor: TimeInterval? = 600
    var failing: Set<String> = []
    var backups: [String: FleetImport] = [:]
    var report = FleetPlacement.Report(shops: 0, freeBytes: 100 << 30)

    init(_ name: String) { self.name = name }

    var recorded: [String] { calls.withLock { $0 } }

    private func call(_ what: String) throws {
        calls.withLock { $0.append(what) }
        if failing.contains(what) { throw Failure(description: "\(name) \(what) failed") }
    }

    func signIn(email: String, password: String, code: String?) async throws -> String { try call("signIn"); return "token-\(name)" }
    func report(token: String) async throws -> FleetPlacement.Report { try call("report"); return report }
    func createShop(token: String, name: String, subdomain: String, domain: String?) async throws -> FleetPlan.Shop {
        try call("create \(subdomain)")
        return FleetPlan.Shop(id: UUID(), subdomain: subdomain, domain: domain, node: "")
    }
    func freeze(token: String, shop: UUID, seconds: Int) async throws -> Date { try call("freeze"); return Date().addingTimeInterval(Double(seconds)) }
    func frozenUntil(token: String, shop: UUID) async throws -> Date? { try call("frozenUntil"); return frozenFor.map { Date().addingTimeInterval($0) } }
    func thaw(token: String, shop: UUID) async throws { try call("thaw") }
    func deleteShop(token: String, shop: UUID) async throws { try call("delete") }
    func export(token: String, shop: UUID, to file: String) async throws -> FleetExport {
        try call("export")
        try exportBody.write(to: URL(fileURLWithPath: file))
        let digest = "sha-\(exportBody.count)"
        return FleetExport(bytes: exportBody.count, sha256: digest, announcedSHA256: announcedSHA256 ?? digest)
    }
    func importShop(token: String, file: String, sha256: String) async throws -> FleetImport {
        try call("import")
        #expect(FileManager.default.fileExists(atPath: file), "the export is still there when the target reads it")
        return FleetImport(shop: FleetPlan.Shop(id: importedShopID ?? FleetProcedureTests.shop.id, subdomain: "acme", node: ""),
                           sha256: importedSHA256 ?? sha256, backupTakenAt: nil)
    }
    func importBackup(token: String, folder: String, label: String) async throws -> FleetImport {
        try call("importBackup \(folder)/\(label)")
        guard let backup = backups[label] else { throw Failure(description: "no backup of \(label)") }
        return backup
    }
}

/// What a procedure's callbacks were given, shared with the test.
final class Record<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}

@Suite("Fleet procedures against fake nodes: move, failover, placement")
struct FleetProcedureTests {
    static let shop = FleetPlan.Shop(id: UUID(), subdomain: "acme", node: "a")

    func move(from source: FakeNode, into target: FakeNode, switchRoute: @escaping @Sendable () throws -> Void = {},
              warnings: Record<String> = Record()) -> ShopMove {
        ShopMove(shop: Self.shop, from: FleetSession(node: "a", client: source, token: "t"), into: FleetSession(node: "b", client: target, token: "t"),
                 freezeSeconds: 900, retireAfter: .zero, warn: warnings.append, switchRoute: switchRoute)
    }

    @Test func aMoveFreezesCopiesChecksSwitchesAndRetiresTheSource() async throws {
        let source = FakeNode("a"), target = FakeNode("b")
        let switched = Record<Bool>()
        let report = try await move(from: source, into: target, switchRoute: { switched.append(true) }).run()
        #expect(source.recorded == ["freeze", "export", "frozenUntil", "delete"])
        #expect(target.recorded == ["import"])
        #expect(switched.all.count == 1)
        #expect(report.sourceCopyRetired && report.from == "a" && report.to == "b" && report.bytes == 9)
        #expect(Set(report.stepsMilliseconds.keys) == ["freeze", "export", "import", "switch", "retire"])
    }

    @Test func aDamagedExportIsNeverImportedAndTheSourceThaws() async throws {
        let source = FakeNode("a"), target = FakeNode("b")
        source.announcedSHA256 = "something else"
        await #expect(throws: DomainError.self) { try await move(from: source, into: target).run() }
        #expect(source.recorded == ["freeze", "export", "thaw"])
        #expect(target.recorded.isEmpty)
    }

    @Test(arguments: ["a different checksum", "another shop", "a thawed source", "a failed switch"])
    func aFailureAfterTheImportDeletesTheCopyAndThawsTheSource(_ failure: String) async throws {
        let source = FakeNode("a"), target = FakeNode("b")
        switch failure {
        case "a different checksum": target.importedSHA256 = "sha-other"
        case "another shop": target.importedShopID = UUID()
        case "a thawed source": source.frozenFor = 5
        default: break
        }
        let mover = move(from: source, into: target, switchRoute: {
            if failure == "a failed switch" { throw FakeNode.Failure(description: "reload failed") }
        })
        await #expect {
            try await mover.run()
        } throws: { error in
            "\(error)".contains("still served from a")
        }
        #expect(target.recorded == ["import", "delete"])
        #expect(source.recorded.last == "thaw")
        #expect(!source.recorded.contains("delete"), "the source keeps its copy")
    }

    @Test func aSourceCopyThatCannotBeDeletedIsReportedNotFailed() async throws {
        let source = FakeNode("a"), target = FakeNode("b")
        source.failing = ["delete"]
        let warnings = Record<String>()
        let report = try await move(from: source, into: target, warnings: warnings).run()
        #expect(!report.sourceCopyRetired)
        #expect(warnings.all.count == 1)
        #expect(!source.recorded.contains("thaw"), "after the switch the old copy stays frozen")
    }

    static let plan = FleetPlan(nodes: [FleetPlan.Node(name: "a", url: "http://a"), FleetPlan.Node(name: "b", url: "http://b"),
                                        FleetPlan.Node(name: "spare", url: "http://spare", standby: true)],
                                platformNode: "a",
                                shops: [FleetPlan.Shop(id: UUID(), subdomain: "one", node: "a"), FleetPlan.Shop(id: UUID(), subdomain: "two", node: "a"),
                                        FleetPlan.Shop(id: UUID(), subdomain: "three", node: "a"), FleetPlan.Shop(id: UUID(), subdomain: "four", node: "b")])

    @Test func aFailoverRoutesTheRestoredShopsAndReportsTheOthers() async throws {
        let standby = FakeNode("spare")
        let taken = Date(timeIntervalSince1970: 1_800_000_000)
        let shops = Self.plan.shops
        standby.backups = [
            "one": FleetImport(shop: shops[0], sha256: "x", backupTakenAt: taken),
            "two": FleetImport(shop: FleetPlan.Shop(id: UUID(), subdomain: "two", node: ""), sha256: "y", backupTakenAt: taken),
        ]
        let node = try NodeFailover.standby(in: Self.plan, for: "a", named: nil)
        #expect(node.name == "spare")
        let switched = Record<FleetPlan>()
        let report = try await NodeFailover(plan: Self.plan, lostNode: "a", standby: FleetSession(node: node.name, client: standby, token: "t"),
                                            startedAt: .now - .seconds(5), now: { taken.addingTimeInterval(90) }) { next, _ in
            switched.append(next)
        }.run()
        #expect(report.recoveryMilliseconds >= 5_000, "counted from the command's start, signing in included")
        #expect(report.restored.map(\.shop) == ["one"])
        #expect(report.restored.first?.dataAgeSeconds == 90)
        #expect(Set(report.failed.map(\.shop)) == ["two", "three"], "a backup of another shop, and none at all")
        let next = try #require(switched.all.first)
        #expect(next.shops.map(\.node) == ["spare", "a", "a", "b"], "only the restored shop is routed to the standby")
        #expect(standby.recorded == ["importBackup a/one", "importBackup a/two", "importBackup a/three"])
    }

    @Test func aFailoverWithNothingRestoredSwitchesNothing() async throws {
        let switched = Record<FleetPlan>()
        let report = try await NodeFailover(plan: Self.plan, lostNode: "b", standby: FleetSession(node: "spare", client: FakeNode("spare"), token: "t"))
            { next, _ in switched.append(next) }.run()
        #expect(report.restored.isEmpty && report.failed.map(\.shop) == ["four"])
        #expect(switched.all.isEmpty)
        #expect(throws: DomainError.self) { try NodeFailover.standby(in: Self.plan, for: "spare", named: "spare") }
        #expect(throws: DomainError.self) { try NodeFailover.standby(in: Self.plan, for: "gone", named: nil) }
    }

    @Test func aMoveIsCheckedAgainstThePlanFirst() throws {
        let move = try Self.plan.move("TWO", to: "b")
        #expect(move.source.name == "a" && move.target.name == "b" && move.shop.subdomain == "two")
        #expect(move.next.shops.map(\.node) == ["a", "b", "a", "b"] && Self.plan.shops[1].node == "a")
        #expect(try Self.plan.move(Self.plan.shops[0].id.uuidString, to: "spare").shop.subdomain == "one")
        #expect(throws: DomainError.self) { try Self.plan.move("nope", to: "b") }
        #expect(throws: DomainError.self) { try Self.plan.move("one", to: "a") }
        #expect(throws: DomainError.self) { try Self.plan.move("one", to: "gone") }
    }

    @Test func aNewShopGoesToTheEmptierReachableNodeNeverTheStandby() async throws {
        let a = FakeNode("a"), b = FakeNode("b"), spare = FakeNode("spare")
        a.report = FleetPlacement.Report(shops: 3, freeBytes: 100 << 30)
        b.report = FleetPlacement.Report(shops: 1, freeBytes: 100 << 30)
        let nodes: [String: FakeNode] = ["a": a, "b": b, "spare": spare]
        let skipped = Record<String>()
        let placement = try ShopPlacement(plan: Self.plan, name: "New", subdomain: "New-Shop", domain: nil, skip: { node, _ in skipped.append(node) }) { node in
            FleetSession(node: node.name, client: nodes[node.name]!, token: "t")
        }
        let result = try await placement.run()
        #expect(result.shop.node == "b" && result.shop.subdomain == "new-shop")
        #expect(result.plan.shops.count == 5 && skipped.all.isEmpty)
        #expect(b.recorded == ["report", "create new-shop"] && spare.recorded.isEmpty)

        b.failing = ["report"]
        let without = try await ShopPlacement(plan: Self.plan, name: "Other", subdomain: "other", domain: nil, skip: { node, _ in skipped.append(node) }) { node in
            FleetSession(node: node.name, client: nodes[node.name]!, token: "t")
        }.run()
        #expect(without.shop.node == "a")
        #expect(skipped.all == ["b"])

        a.failing = ["report"]
        await #expect(throws: DomainError.self) {
            try await ShopPlacement(plan: Self.plan, name: "None", subdomain: "none", domain: nil, skip: { node, _ in skipped.append(node) }) { node in
                FleetSession(node: node.name, client: nodes[node.name]!, token: "t")
            }.run()
        }
        #expect(skipped.all == ["b", "a", "b"], "every node skipped is told, even when none is left to choose")
        #expect(throws: DomainError.self) {
            try ShopPlacement(plan: Self.plan, name: "Dup", subdomain: "one", domain: nil, skip: { _, _ in }) { _ in
                throw FakeNode.Failure(description: "unused")
            }
        }
    }
}
