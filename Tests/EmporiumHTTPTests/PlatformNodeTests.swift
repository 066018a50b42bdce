import EmporiumCore
import EmporiumHTTP
import EmporiumObservability
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `GET /platform/node`: what `emporium fleet place` weighs nodes by.
@Suite("Platform API: a node reports its shops and free space")
struct PlatformNodeTests {
    @Test func anOperatorReadsTheShopCountAndRoomLeftAndNobodyElseDoes() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            #expect(try await client.execute(uri: "/api/v1/platform/node", method: .get).status == .unauthorized)
            let token = try await app.operatorToken(client)
            for subdomain in ["north", "south"] {
                let created = try await client.execute(uri: "/api/v1/platform/tenants", method: .post, headers: .json(token: token),
                                                       body: ByteBuffer(string: #"{"name":"Shop","subdomain":"\#(subdomain)"}"#))
                #expect(created.status == .created)
            }
            let response = try await client.execute(uri: "/api/v1/platform/node", method: .get, headers: .json(token: token))
            #expect(response.status == .ok)
            let data = try #require(try response.json()["data"] as? [String: Any])
            #expect((data["shops"] as? NSNumber)?.intValue == 2)
            let free = try #require((data["freeBytes"] as? NSNumber)?.int64Value), total = try #require((data["totalBytes"] as? NSNumber)?.int64Value)
            #expect(free > 0 && free <= total)
            #expect(data["version"] as? String == BuildInfo.version)
            #expect(!String(buffer: response.body).contains(app.config.dataDirectory), "the box's paths stay private")
        }
    }
}
