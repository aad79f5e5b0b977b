import Testing
import WamigratePostgres

/// How a PostgreSQL job store's address is shown: never with its password.
@Suite("Store: PostgreSQL addresses")
struct PostgresAddressTests {
    @Test(arguments: [
        ("postgres://ops:s3cret@db.example:5432/job?sslmode=require", "postgres://ops:***@db.example:5432/job?sslmode=require"),
        ("postgresql://ops@db.example/job", "postgresql://ops@db.example/job"),
        ("postgres://db.example/job", "postgres://db.example/job"),
        (
            "postgres://ops@db.example:5432/job?password=s3cret&sslmode=require",
            "postgres://ops@db.example:5432/job?password=***&sslmode=require"
        ),
        ("postgres://db.example:5432/job?application_name=a@b", "postgres://db.example:5432/job?application_name=a@b"),
        ("postgres://ops:pa?ss@db.example/job", "postgres://ops:***@db.example/job"),
    ])
    func aPasswordIsNeverShown(_ url: String, _ shown: String) throws {
        let address = try #require(PostgresAddress(url))
        #expect(address.description == shown)
        #expect(
            PostgresAddress.redactingPasswords(in: "wamigrate run --store \(url) a.csv") == "wamigrate run --store \(shown) a.csv"
        )
    }

    @Test func aURLGivenWithAnEqualsSignIsHiddenToo() {
        #expect(
            PostgresAddress.redactingPasswords(in: "wamigrate run --store=postgres://ops:s3cret@db/job -q")
                == "wamigrate run --store=postgres://ops:***@db/job -q")
    }

    @Test func aFileIsNotAServer() {
        #expect(PostgresAddress("job.sqlite") == nil)
        #expect(PostgresAddress("./postgres/job.sqlite") == nil)
    }
}
