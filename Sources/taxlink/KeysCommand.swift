import ArgumentParser
import Foundation
import TaxLinkCore
import TaxLinkSigning

/// `taxlink keys init DIR --tax-code MST`: a development PKI.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Key management.",
        subcommands: [Init.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Make a development PKI: a CA, a sender certificate with UID=MST:<tax code>, a mock-ministry certificate."
        )

        @Argument(help: "The folder to write the PEM files to.")
        var directory: String

        @Option(name: .customLong("tax-code"), help: "The sender's tax code (10 digits, or NNNNNNNNNN-BBB).")
        var taxCode: String

        @Flag(help: "Replace keys already in the folder (the old ones are lost).")
        var force = false

        func run() async throws {
            guard case .taxCode(let code) = TaxIdentity(raw: taxCode) else {
                throw CommandFailure("--tax-code: '\(taxCode)' is not a valid tax code")
            }
            let pki = try DevelopmentPKI.generate(taxCode: code)
            do {
                try pki.write(to: URL(fileURLWithPath: directory), replace: force)
            } catch let error as KeyMaterialError {
                throw CommandFailure(error.message)
            }
            Output.progress(
                "wrote ca.pem, ca-key.pem, sender-key.pem, sender-chain.pem, ministry-key.pem, ministry-chain.pem to \(directory)"
            )
        }
    }
}
