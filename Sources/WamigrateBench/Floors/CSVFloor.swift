import Foundation

/// The floor of extract: read a CSV export and split it into records and fields, with
/// nothing else (no decoding, no strings, no store). Quotes, doubled quotes, CR LF and a
/// delimiter guessed from the header are handled, so it tokenises what extract reads.
/// It keeps each record's phone and country cells (found by header name) for the
/// normalize floor, as "phone\tcountry\n" lines.
struct CSVFloor {
    var rows = 0
    var cells: [UInt8] = []

    /// Reads `path` in 4 MiB blocks and tokenises every byte once.
    mutating func read(_ path: String) throws {
        guard let file = fopen(path, "rb") else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { fclose(file) }
        var block = [UInt8](repeating: 0, count: 4 << 20)
        var delimiter: UInt8 = 0
        var field: [UInt8] = []
        var record = 0
        var column = 0
        var phoneColumn = -1
        var countryColumn = -1
        var header: [String] = []
        var inQuotes = false
        var quoteSeen = false
        var phone: [UInt8] = []
        var country: [UInt8] = []
        func endField() {
            if record == 0 {
                header.append(String(decoding: field, as: UTF8.self).lowercased())
            } else if column == phoneColumn {
                phone = field
            } else if column == countryColumn {
                country = field
            }
            field.removeAll(keepingCapacity: true)
            column += 1
        }
        func endRecord() {
            endField()
            if record == 0 {
                phoneColumn = header.firstIndex { $0.contains("phone") || $0.contains("mobile") } ?? 0
                countryColumn = header.firstIndex { $0.contains("country") } ?? -1
            } else {
                rows += 1
                cells += phone
                cells.append(9)
                cells += country
                cells.append(10)
                phone.removeAll(keepingCapacity: true)
                country.removeAll(keepingCapacity: true)
            }
            record += 1
            column = 0
        }
        while true {
            let count = fread(&block, 1, block.count, file)
            if count == 0 { break }
            if delimiter == 0 {
                let line = block[0..<count].prefix { $0 != 10 }
                delimiter = line.contains(59) ? 59 : 44  // ';' or ','
            }
            for byte in block[0..<count] {
                if inQuotes {
                    if byte == 34 {
                        inQuotes = false
                        quoteSeen = true
                    } else {
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case 34:
                    if quoteSeen { field.append(34) }  // a doubled quote inside a quoted field
                    inQuotes = true
                case delimiter: endField()
                case 10: endRecord()
                case 13: break
                default: field.append(byte)
                }
                quoteSeen = false
            }
        }
        if !field.isEmpty || column > 0 { endRecord() }
    }
}
