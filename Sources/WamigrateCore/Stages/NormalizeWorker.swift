import Phone

/// The child side of normalize's worker processes (`wamigrate normalize-worker`,
/// hidden): reads request frames on standard input, answers each on standard
/// output, and exits at the end of its input, which is also what happens when the
/// parent dies. One process owns one `PhoneNormalizer`, so libphonenumber's
/// regular-expression cache lock is never shared (two threads in one process
/// reach about 1.4× one; two processes about 1.9×).
public enum NormalizeWorker {
    public static let cacheLimit = 32_768

    public static func serve(input: Int32 = 0, output: Int32 = 1) throws {
        // A smaller cache than in-process parsing: each worker is its own process and
        // 200k entries held 128 MB per worker at 10M rows, for ~2 % hits.
        let normalizer = PhoneNormalizer(cacheLimit: cacheLimit)
        while let payload = try NormalizeWire.readFrame(input) {
            let phones = try NormalizeWire.decodeRequests(payload).map {
                normalizer.normalize($0.phone, region: $0.region, format: $0.format, columnDigits: $0.columnDigits)
            }
            try NormalizeWire.writeFrame(
                output,
                NormalizeWire.encode(
                    NormalizeWire.Answer(
                        phones: phones, libraryCalls: normalizer.libraryCalls, cacheHits: normalizer.cacheHits)))
        }
    }
}
