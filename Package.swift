// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "wamigrate",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "wamigrate", targets: ["wamigrate"]),
        .library(name: "WamigrateCore", targets: ["WamigrateCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.5.1"),
    ],
    targets: [
        // C ABI over libphonenumber (C++): include/wm_phonenumber.h.
        .target(
            name: "CPhoneNumber",
            linkerSettings: [
                .linkedLibrary("phonenumber"),
                .linkedLibrary("protobuf"),
                .linkedLibrary("stdc++"),
            ]
        ),
        // Swift owner of the shim handle, plus the repairs done before parsing.
        .target(name: "Phone", dependencies: ["CPhoneNumber"]),
        // The git revision the binary was built from, for the run manifest.
        .target(name: "BuildInfo", plugins: ["GitRevision"]),
        .plugin(name: "GitRevision", capability: .buildTool()),
        // What every feature shares and nothing heavy: errors with stable codes, CSV input, output
        // files (atomic, published as a set), YAML errors, the clock. No GRDB, no libphonenumber.
        .target(
            name: "WamigrateBase",
            dependencies: [
                "BuildInfo", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams"),
            ]
        ),
        // What a job is made of, engine-free: state words, value records, consent rules and the store
        // protocols each engine conforms to. No GRDB, no SQL engine.
        .target(
            name: "WamigrateModel",
            dependencies: ["WamigrateBase", .product(name: "Crypto", package: "swift-crypto")]),
        // The SQLite conformance of the model's store protocols, the one production module that imports
        // GRDB: schema and named migrations, the writer lock, backups, each protocol's methods, the report's
        // figures with their SQL, and the seeded stores the benchmarks read. It persists what Core decides.
        .target(
            name: "WamigrateStore",
            dependencies: [
                "WamigrateBase", "WamigrateModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // libpq, as Debian's libpq-dev installs it (PostgreSQL's own C client: synchronous, COPY).
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // The PostgreSQL conformance of the model's store protocols, the one production module that
        // imports libpq: its schema and named migrations, the advisory writer lock, COPY for bulk loads,
        // and normalize's batches claimed by several workers.
        .target(
            name: "WamigratePostgres",
            dependencies: [
                "CPostgres", "WamigrateBase", "WamigrateModel", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The pipeline (stage protocol, runner, normalize's workers), mappings, the rules (survivorship,
        // list placement, campaign planning, reply classification, the report's cost), over the model's
        // store protocols only: no engine, no SQL.
        .target(
            name: "WamigrateCore",
            dependencies: [
                "WamigrateBase", "WamigrateModel", "Phone", "BuildInfo",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // libcurl, as Debian's libcurl4-openssl-dev installs it, with typed setopt wrappers.
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Swift owner of curl handles: requests, responses, retries and pacing.
        .target(name: "WamigrateHTTP", dependencies: ["CCurl"]),
        // The WhatsApp contacts-API verifier (login, token refresh, batches) over WamigrateHTTP.
        .target(
            name: "ContactsAPI",
            dependencies: [
                "WamigrateBase", "WamigrateCore", "WamigrateModel", "WamigrateHTTP",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Campaign sending: Twilio-style SMS and Viber over WamigrateHTTP, the send log in the job store.
        .target(
            name: "MessagingAPI",
            dependencies: [
                "WamigrateBase", "WamigrateCore", "WamigrateModel", "WamigrateHTTP",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // What both local servers share: idle and header timeouts, a connection cap, closing after
        // a refused body, dropping a taken request's answer (sandbox faults), bind errors in words.
        .target(
            name: "HTTPServing",
            dependencies: [
                "WamigrateBase",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The local contract server tests, the demo and the benchmark talk to.
        .target(
            name: "Sandbox",
            dependencies: [
                "TemplateRules", "WamigrateBase", "WamigrateHTTP", "HTTPServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `webhook serve`: the Cloud API webhook endpoint (Hummingbird), spooling verified bodies
        // before the 200 and processing them into the job store between other commands.
        .target(
            name: "WebhookReceiver",
            dependencies: [
                "WamigrateBase", "WamigrateCore", "WamigrateModel", "HTTPServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Meta's template payload and rules: the linter the converter, submit and the sandbox share.
        .target(name: "TemplateRules"),
        // Legacy SMS templates, keyword replies and Viber flows → templates, flows and a report; the simulator.
        .target(
            name: "Scenarios",
            dependencies: ["TemplateRules", "WamigrateBase", .product(name: "Yams", package: "Yams")]),
        // templates submit: creation payloads to a Cloud-API-compatible endpoint, answers in the job store.
        .target(
            name: "TemplatesAPI",
            dependencies: [
                "TemplateRules", "WamigrateBase", "WamigrateCore", "WamigrateModel", "WamigrateHTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // `wamigrate bench …`: the export generator with its truth, the pipeline, verify and campaign
        // benchmarks, and the sandbox child they (and the tests) start. Not used by any production module.
        .target(
            name: "WamigrateBench",
            dependencies: [
                "WamigrateBase", "WamigrateCore", "WamigrateStore", "WamigratePostgres", "ContactsAPI", "Phone", "CPhoneNumber",
                "WamigrateHTTP", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Thin executable: argument parsing, logging bootstrap, exit codes.
        .executableTarget(
            name: "wamigrate",
            dependencies: [
                "WamigrateBase", "WamigrateCore", "WamigrateStore", "ContactsAPI", "MessagingAPI", "Sandbox", "Scenarios",
                "TemplateRules",
                "TemplatesAPI", "WamigrateBench", "WebhookReceiver", "HTTPServing", "WamigrateHTTP", "WamigrateModel",
                "WamigratePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Temp folders, fixture writers and a runner for the built binary.
        .target(
            name: "WamigrateTestSupport",
            dependencies: [
                "WamigrateBase", "WamigrateCore", "WamigrateStore", "ContactsAPI", "WamigrateBench", "WamigrateHTTP",
                "WamigratePostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "PhoneTests", dependencies: ["Phone"]),
        .testTarget(name: "TemplateRulesTests", dependencies: ["TemplateRules"]),
        // The store protocols tested through their API on a fresh store per test, once per engine.
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "WamigrateBase", "WamigrateModel", "WamigrateStore", "WamigratePostgres", "WamigrateTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "MessagingAPITests", dependencies: ["MessagingAPI", "WamigrateModel"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenarios", "TemplateRules"]),
        .testTarget(
            name: "WamigrateCoreTests",
            dependencies: ["Phone", "WamigrateBase", "WamigrateCore", "WamigrateStore", "WamigrateTestSupport"]),
        .testTarget(
            name: "ContactsAPITests",
            dependencies: ["ContactsAPI", "Sandbox", "WamigrateCore", "WamigrateHTTP", "WamigrateStore"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "wamigrate", "WamigrateBase", "WamigrateBench", "WamigrateCore", "WamigrateStore", "WamigratePostgres",
                "WamigrateTestSupport",
                "Scenarios", "TemplateRules",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx17
)

// Release builds skip the runtime exclusivity checks of our own modules (the compiler's static
// checks stay): in `perf` of extract, swift_beginAccess/endAccess and the thread-local access set
// behind them took 14 % of the stage.
for target in package.targets where [.regular, .executable].contains(target.type) && !target.name.hasPrefix("C") {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}
