import EmporiumCore
import Foundation
import Testing

@Suite("Image rules: formats by their bytes, size limits, rendition widths")
struct ImageRulesTests {
    @Test(arguments: [
        ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], ImageFormat.jpeg),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D], .png),
        (Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8), .webp),
    ] as [([UInt8], ImageFormat)])
    func aFormatIsToldByItsSignature(_ bytes: [UInt8], _ format: ImageFormat) {
        #expect(ImageFormat.sniff(bytes) == format)
    }

    @Test(arguments: [
        [], [0xFF, 0xD8], Array("GIF89a".utf8), Array("<svg xmlns=".utf8), Array("RIFF\u{24}\0\0\0WAVE".utf8), Array("RIFF".utf8),
        Array("II*\0".utf8), Array("%PDF-1.7".utf8), Array("\u{89}PNG\r\n".utf8),
    ] as [[UInt8]])
    func anythingElseIsNoPicture(_ bytes: [UInt8]) {
        #expect(ImageFormat.sniff(bytes) == nil)
    }

    @Test func widthsAreTheStandardOnesBelowThePictureAndNeverWider() {
        #expect(ImageRules.widths(forOriginalWidth: 4000) == [160, 480, 1024])
        #expect(ImageRules.widths(forOriginalWidth: 1024) == [160, 480, 1024])
        #expect(ImageRules.widths(forOriginalWidth: 800) == [160, 480, 800])
        #expect(ImageRules.widths(forOriginalWidth: 480) == [160, 480])
        #expect(ImageRules.widths(forOriginalWidth: 300) == [160, 300])
        #expect(ImageRules.widths(forOriginalWidth: 160) == [160])
        #expect(ImageRules.widths(forOriginalWidth: 1) == [1])
        #expect(ImageRules.widths(forOriginalWidth: 0) == [])
        #expect(ImageRules.widths(forOriginalWidth: -5) == [])
        #expect(ImageRules.widths(forOriginalWidth: .max) == [160, 480, 1024])
    }

    @Test(arguments: [
        (ImageSize(width: 7_700, height: 5_194), true),
        (ImageSize(width: 1, height: 1), true),
        (ImageSize(width: 20_000, height: 2_000), true),
        (ImageSize(width: 20_001, height: 1), false),
        (ImageSize(width: 8_000, height: 8_000), false),
        (ImageSize(width: 0, height: 10), false),
        (ImageSize(width: 10, height: -1), false),
        (ImageSize(width: .max, height: .max), false),
        (ImageSize(width: .min, height: .max), false),
    ])
    func sizesAreCheckedFromTheHeaderWithoutOverflow(_ size: ImageSize, _ accepted: Bool) {
        let rules = ImageRules()
        #expect(((try? rules.check(size)) != nil) == accepted, "\(size)")
    }

    @Test func altTextIsOneShortLine() throws {
        let rules = ImageRules()
        #expect(try rules.alt("  A blue teapot ") == "A blue teapot")
        #expect(try rules.alt(nil) == "")
        #expect(try rules.alt(String(repeating: "é", count: 250)).count == 250)
        #expect(throws: DomainError.self) { try rules.alt(String(repeating: "a", count: 251)) }
        #expect(throws: DomainError.self) { try rules.alt("one\ntwo") }
    }
}
