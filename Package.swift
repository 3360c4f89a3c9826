// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ThreadGuard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "threadguard", targets: ["threadguard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "ThreadGuardCore"),
        .target(name: "ThreadGuardYAML", dependencies: ["Yams"]),
        .target(name: "ThreadGuardHTTP", dependencies: [
            "CCurl", "ThreadGuardCore", .product(name: "Logging", package: "swift-log"),
        ]),
        // The classifier and the policy engine run once per comment on the hot path: no dynamic exclusivity
        // checks there (the code keeps no overlapping accesses; tests run with the same settings).
        .target(name: "ThreadGuardDetect", dependencies: ["ThreadGuardCore"], resources: [.copy("Lexicons")],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "ThreadGuardPolicy", dependencies: ["ThreadGuardCore", "ThreadGuardDetect", "ThreadGuardYAML"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // Learned models: feature hashing, logistic regressions, calibration, the model file (no I/O but files).
        .target(name: "ThreadGuardLearn", dependencies: ["ThreadGuardCore", "ThreadGuardDetect", .product(name: "Crypto", package: "swift-crypto")],
                resources: [.copy("Resources/wordpieces.vectors")]),
        // The store: one protocol (`Store`), SQLite (the default, one machine) and PostgreSQL (many pollers and reviewers).
        .target(name: "ThreadGuardStore", dependencies: [
            "ThreadGuardCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ThreadGuardConnect", dependencies: [
            "ThreadGuardCore", "ThreadGuardHTTP", "ThreadGuardYAML",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ThreadGuardWorkflow", dependencies: [
            "ThreadGuardCore", "ThreadGuardDetect", "ThreadGuardPolicy", "ThreadGuardStore", "ThreadGuardLearn",
            "ThreadGuardConnect", "ThreadGuardHTTP", "ThreadGuardYAML",
            .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // Starting and stopping a Hummingbird server, shared by the sandbox and the review page.
        .target(name: "ThreadGuardServing", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ThreadGuardSandbox", dependencies: [
            "ThreadGuardCore", "ThreadGuardServing", "ThreadGuardHTTP", .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .target(name: "ThreadGuardWeb", dependencies: [
            "ThreadGuardCore", "ThreadGuardStore", "ThreadGuardWorkflow", "ThreadGuardServing",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .target(name: "ThreadGuardDemo", dependencies: [
            "ThreadGuardWorkflow", "ThreadGuardSandbox", "ThreadGuardStore", "ThreadGuardHTTP", "ThreadGuardConnect", "ThreadGuardPolicy",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "threadguard", dependencies: [
            "ThreadGuardCore", "ThreadGuardDetect", "ThreadGuardLearn", "ThreadGuardPolicy", "ThreadGuardWorkflow",
            "ThreadGuardSandbox", "ThreadGuardStore", "ThreadGuardDemo", "ThreadGuardHTTP", "ThreadGuardYAML", "ThreadGuardWeb",
            "ThreadGuardConnect",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .testTarget(name: "ThreadGuardHTTPTests", dependencies: [
            "ThreadGuardHTTP",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .testTarget(name: "ThreadGuardConnectTests", dependencies: [
            "ThreadGuardConnect", "ThreadGuardSandbox", "ThreadGuardHTTP", "ThreadGuardCore", "ThreadGuardYAML",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ThreadGuardWebTests", dependencies: [
            "ThreadGuardWeb", "ThreadGuardStore", "ThreadGuardWorkflow", "ThreadGuardPolicy", "ThreadGuardHTTP", "ThreadGuardCore",
            "ThreadGuardSandbox", "ThreadGuardConnect", "ThreadGuardTestSupport",
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ThreadGuardStoreTests", dependencies: [
            "ThreadGuardStore", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // What the test targets share: a PostgreSQL database of a test's own.
        .target(name: "ThreadGuardTestSupport", dependencies: ["ThreadGuardStore"]),
        .testTarget(name: "ThreadGuardDetectTests", dependencies: ["ThreadGuardDetect"]),
        .testTarget(name: "ThreadGuardPostgresTests", dependencies: [
            "ThreadGuardStore", "ThreadGuardCore", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ThreadGuardLearnTests", dependencies: ["ThreadGuardLearn", "ThreadGuardDetect", "ThreadGuardCore",
                                                                   .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "ThreadGuardPolicyTests", dependencies: ["ThreadGuardPolicy", "ThreadGuardYAML", "ThreadGuardDetect", "ThreadGuardCore"]),
        .testTarget(name: "ThreadGuardWorkflowTests", dependencies: [
            "ThreadGuardWorkflow", "ThreadGuardSandbox", "ThreadGuardStore", "ThreadGuardDemo", "ThreadGuardHTTP",
            "ThreadGuardConnect", "ThreadGuardYAML", "ThreadGuardPolicy", "ThreadGuardCore", "ThreadGuardTestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ]),
    ]
)
