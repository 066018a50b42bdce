import EmporiumCore
import Foundation
import NIOCore

/// The fleet commands' calls to one node's platform API: sign in as an operator, read the node's
/// report, create a shop. Over the appliance's own outbound client (TLS with the system's trust
/// store, a deadline per call, a cap on the answer), so a hung node costs a command seconds.
public struct FleetNodeClient: Sendable {
    public struct NodeError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    let address: FleetNodeAddress
    let transport: any PaymentHTTPTransport

    public init(address: FleetNodeAddress, timeoutSeconds: Int64 = 10) {
        self.address = address
        self.transport = ProviderHTTPClient(timeout: .seconds(timeoutSeconds))
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
            let message = ((json?["error"] as? [String: Any])?["message"] as? String) ?? "HTTP \(response.status)"
            throw NodeError(description: "\(address.base) \(method) \(path): \(message)")
        }
        return data
    }
}
