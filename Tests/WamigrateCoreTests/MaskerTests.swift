import Foundation
import Testing
import WamigrateBase
import WamigrateStore

@testable import WamigrateCore

@Suite("Masking")
struct MaskerTests {
    @Test func numbersKeepCallingAndDestinationCodesAndTheLastTwoDigits() {
        #expect(Masker.masked.number("+4915123456789") == "+49 1512 ••• ••89")
        #expect(Masker.masked.number("+14155550123") == "+1 415 ••• ••23")
        #expect(Masker.masked.number("+442079460958") == "+44 20 ••• ••58")
        // The length is not shown: a longer number looks the same.
        #expect(Masker.masked.number("+493012345678").hasSuffix("••• ••78"))
        #expect(Masker.unmasked.number("+4915123456789") == "+4915123456789")
    }

    @Test func rawCellsKeepTheirShapeButNotTheirDigitsOrWords() {
        #expect(Masker.masked.raw("0151 2345 6789") == "•••• •••• ••89")
        #expect(Masker.masked.raw("call Anna") == "c••• A•••")
        #expect(Masker.masked.raw("12") == "12")
        #expect(Masker.masked.name("Anna Maria Schäfer") == "A••• M••• S•••")
        #expect(Masker.masked.email("anna.schaefer@example.co.uk") == "a•••@e•••.uk")
        #expect(Masker.masked.viber("01234567890A==") == "01•••==")
        #expect(Masker.masked.text("STOP 4915123456789") == "STOP #############")
    }

    @Test func keyedHashesAreStablePerKeyAndDifferAcrossKeys() throws {
        let a = Masker.keyed("0123456789abcdef0123")
        let b = Masker.keyed("fedcba9876543210fedc")
        #expect(a.number("+4915123456789") == a.number("+4915123456789"))
        #expect(a.number("+4915123456789") != a.number("+4915123456780"))
        #expect(a.number("+4915123456789") != b.number("+4915123456789"))
        #expect(a.number("+4915123456789").hasPrefix("hmac:"))
        #expect(a.name("Anna Alt") == "A••• A•••", "names stay masked under a key")
    }

    @Test func manifestConfigurationLosesSecretsButKeepsVariableNames() throws {
        let stored = JSONValue.parse(
            """
            {"verify":{"endpoint":"https://admin:hunter2@waba.example.com/v1","password_env":"WA_PASSWORD",
            "token":"abc","user":"admin"},"default_region":"DE"}
            """)
        let text = String(decoding: try JSONEncoder().encode(stored.withoutSecrets), as: UTF8.self)
        #expect(!text.contains("hunter2") && !text.contains("abc\""))
        #expect(text.contains("WA_PASSWORD"))
        #expect(text.contains("https:\\/\\/waba.example.com\\/v1"))
        #expect(text.contains("(removed)"))
    }
}

@Suite("Text shown on a terminal")
struct TerminalTextTests {
    @Test("hidden characters in a quoted template text are shown, not printed raw")
    func invisibleCharactersBecomeVisible() {
        #expect(Terminal.visible("Hi\u{200B}there\u{202E}!") == "Hi<U+200B>there<U+202E>!")
        #expect(Terminal.visible("a\u{1B}[2Jb") == "a<U+001B>[2Jb")
        #expect(Terminal.visible("plain text\nnext line") == "plain text\nnext line")
    }
}

@Suite("Report charts")
struct ReportChartTests {
    @Test("a long bar label is cut at its end to fit the label column, its full text kept as the tooltip")
    func longLabelsFit() {
        let label = "extract (run #1, 2026-12-03T10:16:05Z, wamigrate run --store job.sqlite)"
        let svg = SVGBarChart(title: "t", bars: [(label, 3)]).svg
        #expect(svg.contains("<title>" + HTML.escape(label) + "</title>"))
        #expect(svg.contains(HTML.escape(String(label.prefix(SVGBarChart.labelCharacters - 1))) + "…</text>"))
        #expect(SVGBarChart.fitted("short") == "short")
    }
}
