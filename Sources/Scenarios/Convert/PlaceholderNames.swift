/// Names for legacy placeholders and the example values Meta requires.
enum PlaceholderNames {
    /// `[Order #]` → `order`; `%FIRST_NAME%` → `first_name`. Lowercase letters and
    /// underscores only, as named parameters must be.
    static func normalized(_ raw: String) -> String { Identifier.snake(raw, digits: false, empty: "value") }

    static func isPersonName(_ name: String) -> Bool {
        name.contains("name") || name.hasPrefix("first") || name.hasPrefix("vorname") || name == "customer"
    }

    /// A realistic example for a placeholder, chosen from its name.
    static func example(for name: String) -> String {
        let table: [(String, String)] = [
            ("first", "Maria"), ("last", "Silva"), ("name", "Maria"), ("customer", "Maria"), ("order", "A-10425"),
            ("track", "1Z999AA1012"), ("date", "12 March"), ("day", "Monday"), ("time", "10:30"), ("amount", "49.90"),
            ("price", "49.90"), ("total", "49.90"), ("balance", "120.00"), ("code", "482913"), ("otp", "482913"),
            ("pin", "482913"), ("link", "https://example.com/t/A10425"), ("url", "https://example.com/t/A10425"),
            ("city", "Berlin"), ("store", "Alexanderplatz"), ("shop", "Alexanderplatz"), ("points", "120"),
            ("product", "Trail Runner 2"), ("item", "Trail Runner 2"), ("doctor", "Dr. Weber"), ("minutes", "10"),
            ("percent", "20%"), ("discount", "20%"),
        ]
        return table.first { name.contains($0.0) }?.1 ?? "sample"
    }
}
