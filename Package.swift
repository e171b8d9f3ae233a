// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "taxlink",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "taxlink", targets: ["taxlink"]),
        .executable(name: "ministry-mock", targets: ["ministry-mock"]),
        .library(name: "TaxLinkCore", targets: ["TaxLinkCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        .target(name: "TaxLinkCore", swiftSettings: swiftSettings),
        .target(name: "TaxLinkAdapters", dependencies: ["TaxLinkCore"], swiftSettings: swiftSettings),
        .target(
            name: "TaxLinkStore",
            dependencies: [
                "TaxLinkCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TaxLinkSigning",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TaxLinkIngest",
            dependencies: [
                "TaxLinkCore", "TaxLinkAdapters", "TaxLinkStore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TaxLinkReconcile",
            dependencies: [
                "TaxLinkCore", "TaxLinkStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TaxLinkWorkbench",
            dependencies: ["TaxLinkCore", "TaxLinkStore", "TaxLinkReconcile"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TaxLinkOutbox",
            dependencies: [
                "TaxLinkCore", "TaxLinkStore", "TaxLinkSigning",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TaxLinkServer",
            dependencies: [
                "TaxLinkCore", "TaxLinkAdapters", "TaxLinkStore", "TaxLinkIngest", "TaxLinkReconcile",
                "TaxLinkOutbox", "TaxLinkWorkbench",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MinistryMock",
            dependencies: [
                "TaxLinkCore", "TaxLinkSigning",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "mocks/MinistryMock",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ministry-mock",
            dependencies: [
                "MinistryMock",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "mocks/ministry-mock",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "taxlink",
            dependencies: [
                "TaxLinkCore", "TaxLinkAdapters", "TaxLinkStore", "TaxLinkIngest", "TaxLinkReconcile",
                "TaxLinkOutbox", "TaxLinkServer", "TaxLinkSigning", "MinistryMock",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "TaxLinkAdapters", "TaxLinkStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "TaxLinkCoreTests", dependencies: ["TaxLinkCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TaxLinkSigningTests",
            dependencies: ["TaxLinkSigning"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MinistryMockTests",
            dependencies: [
                "MinistryMock", "TaxLinkSigning", "TaxLinkCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaxLinkIngestTests",
            dependencies: ["TaxLinkCore", "TaxLinkAdapters", "TaxLinkStore", "TaxLinkIngest", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaxLinkServerTests",
            dependencies: [
                "TaxLinkServer", "TaxLinkStore", "TaxLinkCore", "TaxLinkReconcile", "TestSupport",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaxLinkReconcileTests",
            dependencies: [
                "TaxLinkReconcile", "TaxLinkStore", "TaxLinkCore", "TaxLinkIngest", "TaxLinkAdapters", "TaxLinkServer",
                "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaxLinkOutboxTests",
            dependencies: [
                "TaxLinkOutbox", "TaxLinkStore", "TaxLinkCore", "TaxLinkIngest", "TaxLinkAdapters", "TaxLinkSigning",
                "MinistryMock", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HostileInputTests",
            dependencies: [
                "TestSupport", "TaxLinkCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkbenchBrowserTests",
            dependencies: [
                "TestSupport", "TaxLinkStore", "TaxLinkReconcile",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaxLinkStoreTests",
            dependencies: [
                "TaxLinkStore", "TaxLinkCore", "TestSupport", "TaxLinkAdapters", "TaxLinkIngest", "TaxLinkReconcile",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaxLinkWorkbenchTests",
            dependencies: [
                "TaxLinkWorkbench", "TaxLinkServer", "TaxLinkReconcile", "TaxLinkStore", "TaxLinkCore", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaxLinkAdaptersTests",
            dependencies: ["TaxLinkCore", "TaxLinkAdapters"],
            swiftSettings: swiftSettings
        ),
    ]
)
