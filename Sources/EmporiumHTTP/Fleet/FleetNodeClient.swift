import EmporiumCore
import Foundation
import NIOCore

/// The fleet commands' calls to one node's platform API: sign in as an operator, read the node's
/// report, create, freeze, export, import and delete a shop. Over the appliance's own outbound
/// client (TLS with the system's trust store, a deadline per call, a cap on a JSON answer), so a
/// hung node costs a command seconds; a shop's file streams with a deadline of its own.
public struct FleetNodeClient: FleetNode {
    public struct NodeError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public typealias ExportedFile = FleetExport
    public typealias ImportedShop = FleetImport

    public let address: FleetNodeAddress
    let transport: ProviderHTTPClient
    /// The whole of one file transfer, either way.
    let transferTimeout: TimeAmount

    public init(address: FleetNodeAddress, timeoutSeconds: Int64 = 10, transferTimeoutSeconds: Int64 = 3_600) {
        self.address = address
        self.transport = ProviderHTTPClient(timeout: .seconds(timeoutSeconds))
        self.transferTimeout = .seconds(transferTimeoutSeconds)
    }

    /// An operator's access token on this node (each node keeps its own operators).
    public func signIn(email: String, password: String, code: String? = nil) async throws -> String {
        var body: [String: String] = ["email": email, "password": password]
        body["code"] = code
        let data = try await call("POST", "/api/v1/platform/auth/login", body: try JSONEncoder().encode(body), expecting: 200)
        guard let token = data["accessToken"] as? String else { throw NodeError(description: "\(address.base): no token in the sign-in answer") }
        return token
    }

    public func report(token: String) async throws -> FleetPlacement.Report {
        let data = try await call("GET", "/api/v1/platform/node", token: token, expecting: 200)
        guard let shops = (data["shops"] as? NSNumber)?.intValue, let free = (data["freeBytes"] as? NSNumber)?.int64Value else {
            throw NodeError(description: "\(address.base): the node's report lacks shops or freeBytes")
        }
        return FleetPlacement.Report(shops: shops, freeBytes: free)
    }

    /// Creates the shop on this node and returns it as the node stored it (id, normalised names).
    public func createShop(token: String, name: String, subdomain: String, domain: String?) async throws -> FleetPlan.Shop {
        var body: [String: String] = ["name": name, "subdomain": subdomain]
        body["domain"] = domain
        let data = try await call("POST", "/api/v1/platform/tenants", token: token, body: try JSONEncoder().encode(body), expecting: 201)
        guard let id = (data["id"] as? String).flatMap(UUID.init(uuidString:)), let stored = data["subdomain"] as? String else {
            throw NodeError(description: "\(address.base): the created shop's answer lacks its id")
        }
        return FleetPlan.Shop(id: id, subdomain: stored, domain: data["domain"] as? String, node: "")
    }

    /// Refuses the shop's writes on this node for `seconds`; returns once no write is running.
    public func freeze(token: String, shop: UUID, seconds: Int) async throws -> Date {
        let data = try await call("PUT", "/api/v1/platform/tenants/\(shop.lowercased)/freeze", token: token,
                                  body: try JSONEncoder().encode(["seconds": seconds]), expecting: 200)
        guard let until = (data["frozenUntil"] as? String).flatMap(Self.date) else {
            throw NodeError(description: "\(address.base): the freeze's answer lacks frozenUntil")
        }
        return until
    }

    /// When the shop's freeze on this node ends; nil when its writes go through.
    public func frozenUntil(token: String, shop: UUID) async throws -> Date? {
        let data = try await call("GET", "/api/v1/platform/tenants/\(shop.lowercased)/freeze", token: token, expecting: 200)
        return (data["frozenUntil"] as? String).flatMap(Self.date)
    }

    public func thaw(token: String, shop: UUID) async throws {
        _ = try await call("DELETE", "/api/v1/platform/tenants/\(shop.lowercased)/freeze", token: token, expecting: 200)
    }

    /// Deletes the shop on this node (its file is archived there first, like `emporium tenant delete`).
    public func deleteShop(token: String, shop: UUID) async throws {
        _ = try await call("DELETE", "/api/v1/platform/tenants/\(shop.lowercased)", token: token, expecting: 200)
    }

    /// Streams the shop's export into `file`.
    public func export(token: String, shop: UUID, to file: String) async throws -> ExportedFile {
        let request = PaymentHTTPRequest(method: "GET", url: address.base + "/api/v1/platform/tenants/\(shop.lowercased)/export",
                                         headers: ["Authorization": "Bearer \(token)", "Accept": "application/gzip"], body: Data())
        let answer: ProviderHTTPClient.Download
        do {
            answer = try await transport.download(request, to: file, timeout: transferTimeout)
        } catch {
            throw NodeError(description: "\(address.base) did not send the export: \(error)")
        }
        guard answer.status == 200 else { throw NodeError(description: "\(address.base) export: \(Self.message(answer.body, status: answer.status))") }
        return ExportedFile(bytes: answer.bytes, sha256: answer.sha256, announcedSHA256: answer.headers["x-content-sha256"])
    }

    /// Creates the shop on this node from an exported file; the node checks it against `sha256`.
    public func importShop(token: String, file: String, sha256: String) async throws -> ImportedShop {
        let request = PaymentHTTPRequest(method: "POST", url: address.base + "/api/v1/platform/tenants/import", headers: [
            "Authorization": "Bearer \(token)", "Accept": "application/json", "Content-Type": "application/gzip", "X-Content-SHA256": sha256,
        ], body: Data())
        let response: PaymentHTTPResponse
        do {
            response = try await transport.upload(request, file: file, timeout: transferTimeout)
        } catch {
            throw NodeError(description: "\(address.base) did not take the file: \(error)")
        }
        return try imported(response, "POST /api/v1/platform/tenants/import")
    }

    /// Creates the shop on this node from the newest backup of `label` in its backup folder's `folder`.
    public func importBackup(token: String, folder: String, label: String) async throws -> ImportedShop {
        let body = try JSONEncoder().encode(["folder": folder, "shop": label])
        let request = PaymentHTTPRequest(method: "POST", url: address.base + "/api/v1/platform/tenants/import", headers: [
            "Authorization": "Bearer \(token)", "Accept": "application/json", "Content-Type": "application/json",
        ], body: body)
        let response: PaymentHTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw NodeError(description: "\(address.base) did not answer the import of \(label): \(error)")
        }
        return try imported(response, "import of \(label)")
    }

    private func imported(_ response: PaymentHTTPResponse, _ what: String) throws -> ImportedShop {
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        guard response.status == 201, let data = json?["data"] as? [String: Any], let tenant = data["tenant"] as? [String: Any],
              let id = (tenant["id"] as? String).flatMap(UUID.init(uuidString:)), let subdomain = tenant["subdomain"] as? String,
              let sha256 = data["sha256"] as? String else {
            throw NodeError(description: "\(address.base) \(what): \(Self.message(response.body, status: response.status))")
        }
        return ImportedShop(shop: FleetPlan.Shop(id: id, subdomain: subdomain, domain: tenant["domain"] as? String, node: ""),
                            sha256: sha256, backupTakenAt: (data["backupTakenAt"] as? String).flatMap(Self.date))
    }

    private static func message(_ body: Data, status: Int) -> String {
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        return ((json?["error"] as? [String: Any])?["message"] as? String) ?? "HTTP \(status)"
    }

    private static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    /// One call; the envelope's `data` on the expected status, else the node's own error message.
    private func call(_ method: String, _ path: String, token: String? = nil, body: Data = Data(), expecting status: Int) async throws -> [String: Any] {
        var headers = ["Accept": "application/json"]
        if !body.isEmpty { headers["Content-Type"] = "application/json" }
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let response: PaymentHTTPResponse
        do {
            response = try await transport.send(PaymentHTTPRequest(method: method, url: address.base + path, headers: headers, body: body))
        } catch {
            throw NodeError(description: "\(address.base) did not answer \(method) \(path): \(error)")
        }
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        guard response.status == status, let data = json?["data"] as? [String: Any] else {
            throw NodeError(description: "\(address.base) \(method) \(path): \(Self.message(response.body, status: response.status))")
        }
        return data
    }
}
