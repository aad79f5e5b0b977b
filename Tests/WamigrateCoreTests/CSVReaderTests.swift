import Testing
import WamigrateBase
import WamigrateTestSupport

@testable import WamigrateCore

@Suite("CSV reading")
struct CSVReaderTests {
    func records(_ bytes: [UInt8]) throws -> (reader: CSVReader, records: [CSVRecord]) {
        let folder = TempFolder()
        let path = folder.write("in.csv", bytes: bytes)
        let facts = try InputInspector.inspect(path: path)
        let reader = try CSVReader(path: path, encoding: facts.encoding)
        var out: [CSVRecord] = []
        while let record = try reader.next() { out.append(record) }
        return (reader, out)
    }

    @Test func quotedFieldsKeepDelimitersNewlinesAndQuotes() throws {
        let text =
            "phone,name,note\n+4915123456789,\"Müller, Hans\",\"line one\nline two\"\n+4915123456780,\"say \"\"hi\"\"\",x\n"
        let (_, rows) = try records(Array(text.utf8))
        #expect(rows.count == 3)
        #expect(rows[1].fields == ["+4915123456789", "Müller, Hans", "line one\nline two"])
        #expect(rows[1].line == 2)
        #expect(rows[2].line == 4, "a record after a two-line record starts on physical line 4")
        #expect(rows[2].fields[1] == "say \"hi\"")
    }

    @Test func bomCRLFAndSemicolonsAreHandled() throws {
        let text = "\u{FEFF}Mobile;Name\r\n0151 1;Anna\r\n\r\n0151 2;Ben\r\n"
        let (reader, rows) = try records(Array(text.utf8))
        #expect(reader.delimiterName == "semicolon")
        #expect(rows.map(\.fields) == [["Mobile", "Name"], ["0151 1", "Anna"], ["0151 2", "Ben"]])
        #expect(rows.map(\.line) == [1, 2, 4])
        #expect(reader.blankLines == 1)
    }

    @Test func tabsAreSniffed() throws {
        let (reader, rows) = try records(Array("phone\tname\n1\tA\n".utf8))
        #expect(reader.delimiterName == "tab")
        #expect(rows[1].fields == ["1", "A"])
    }

    @Test func raggedRowsKeepWhatTheyHave() throws {
        let (_, rows) = try records(Array("a,b,c\n1\n1,2,3,4\n".utf8))
        #expect(rows[1].fields == ["1"])
        #expect(rows[2].fields == ["1", "2", "3", "4"])
    }

    @Test func windows1252IsDetectedAndDecoded() throws {
        // "Müller;€5" in Windows-1252: ü = 0xFC, € = 0x80
        let bytes: [UInt8] = Array("name;x\n".utf8) + [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x3B, 0x80, 0x35, 0x0A]
        let folder = TempFolder()
        let path = folder.write("w.csv", bytes: bytes)
        #expect(try InputInspector.inspect(path: path).encoding == .windows1252)
        let (_, rows) = try records(bytes)
        #expect(rows[1].fields == ["Müller", "€5"])
    }

    @Test func utf16WithBOMIsTranscoded() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "phone\tname\n+4915123456789\tJürgen\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let (_, rows) = try records(bytes)
        #expect(rows[1].fields == ["+4915123456789", "Jürgen"])
    }

    @Test func undecodableBytesAreAnErrorWithTheLine() throws {
        let folder = TempFolder()
        let path = folder.write("bad.csv", bytes: Array("phone\nok\n".utf8) + [0x81, 0x8D, 0xC3, 0x0A])
        #expect {
            try InputInspector.inspect(path: path)
        } throws: { error in
            let error = error as! WamigrateError
            return error.code == .inputEncoding && error.location?.line == 3
        }
    }

    @Test func unclosedQuoteNamesTheLineItOpenedOn() throws {
        #expect {
            try records(Array("phone,name\n1,\"open\n2,b\n".utf8))
        } throws: { error in
            let error = error as! WamigrateError
            return error.code == .inputCSV && error.location?.line == 2
        }
    }

    @Test func binaryAndEmptyFilesAreRefused() throws {
        let folder = TempFolder()
        let binary = folder.write("x.xlsx", bytes: [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x08])
        let empty = folder.write("e.csv", "")
        let blank = folder.write("b.csv", "\n\n  \n")
        #expect(throws: WamigrateError.self) { try InputInspector.inspect(path: binary) }
        for path in [empty, blank] {
            #expect { try InputInspector.inspect(path: path) } throws: { ($0 as! WamigrateError).code == .inputEmpty }
        }
        #expect { try InputInspector.inspect(path: folder.file("missing.csv")) } throws: {
            ($0 as! WamigrateError).code == .inputMissing
        }
    }
}
