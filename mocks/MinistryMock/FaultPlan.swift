import TaxLinkCore

/// Which faults the mock injects into `/v1/…` requests, and how often.
///
/// Written as a spec of `kind=probability` pairs separated by commas, for example
/// `503=0.2,429=0.1,drop-before=0.05,drop-after=0.05,slow=0.05`:
/// - a status code (`429`, `500`, `502`, `503`, `504`, …): answer that status without processing
///   (`429` carries `Retry-After`);
/// - `drop-before`: close the connection without an answer and without processing;
/// - `drop-after`: process and persist the request fully, then close without an answer;
/// - `slow`: wait ``slowDelay`` before handling the request normally.
///
/// Each request draws one number from a generator seeded by ``MinistryConfiguration/seed``;
/// the probabilities must add up to at most 1.
public struct FaultPlan: Sendable, Hashable, CustomStringConvertible {
    /// One kind of fault.
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        /// Answer with this status (4xx or 5xx) and do nothing else.
        case status(Int)
        /// Close the connection before processing.
        case dropBefore
        /// Process fully, then close the connection without answering.
        case dropAfter
        /// Sleep before handling the request.
        case slow

        /// The name used in specs and in `/_stats`.
        public var description: String {
            switch self {
            case .status(let code): String(code)
            case .dropBefore: "drop-before"
            case .dropAfter: "drop-after"
            case .slow: "slow"
            }
        }

        init?(_ text: some StringProtocol) {
            switch text {
            case "drop-before": self = .dropBefore
            case "drop-after": self = .dropAfter
            case "slow": self = .slow
            default:
                guard let code = Int(text), (400...599).contains(code) else { return nil }
                self = .status(code)
            }
        }
    }

    /// The faults and their probabilities, in the order of the spec.
    public var entries: [(kind: Kind, probability: Double)]
    /// The `Retry-After` of `429` answers, in seconds.
    public var retryAfterSeconds: Int = 1
    /// Whether `Retry-After` is sent as an HTTP-date instead of seconds.
    public var retryAfterAsHTTPDate: Bool = false
    /// How long a `slow` request waits before it is handled.
    public var slowDelay: Duration = .seconds(2)

    /// No faults.
    public init() {
        entries = []
    }

    /// Parses a spec such as `503=0.2,429=0.1,drop-before=0.05` (empty: no faults).
    ///
    /// - Throws: ``FaultPlanError`` for an unknown kind, a probability outside 0…1, a kind named
    ///   twice, or probabilities adding up to more than 1.
    public init(spec: String) throws(FaultPlanError) {
        entries = []
        var total = 0.0
        for item in spec.split(separator: ",") {
            let pair = item.split(separator: "=", omittingEmptySubsequences: false)
            let name = pair.first.map { String($0).trimmingWhitespace() } ?? ""
            guard pair.count == 2, let kind = Kind(name) else {
                throw FaultPlanError(
                    "'\(item)' is not kind=probability with a kind of drop-before, drop-after, slow or a 4xx/5xx status"
                )
            }
            guard let probability = Double(String(pair[1]).trimmingWhitespace()), (0...1).contains(probability) else {
                throw FaultPlanError("the probability of \(name) must be a number from 0 to 1")
            }
            guard !entries.contains(where: { $0.kind == kind }) else {
                throw FaultPlanError("\(name) is named twice")
            }
            total += probability
            entries.append((kind, probability))
        }
        guard total <= 1 + 1e-9 else {
            throw FaultPlanError("the probabilities add up to \(total), more than 1")
        }
    }

    /// The spec text of the plan.
    public var description: String {
        entries.map { "\($0.kind)=\($0.probability)" }.joined(separator: ",")
    }

    /// The fault for a draw `value` in 0..<1, or `nil` for none.
    func fault(for value: Double) -> Kind? {
        var upper = 0.0
        for entry in entries {
            upper += entry.probability
            if value < upper { return entry.kind }
        }
        return nil
    }

    public static func == (lhs: FaultPlan, rhs: FaultPlan) -> Bool {
        lhs.description == rhs.description && lhs.retryAfterSeconds == rhs.retryAfterSeconds
            && lhs.retryAfterAsHTTPDate == rhs.retryAfterAsHTTPDate && lhs.slowDelay == rhs.slowDelay
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }
}

/// A fault spec that cannot be read.
public struct FaultPlanError: Error, Sendable, CustomStringConvertible {
    /// What is wrong with the spec.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { "invalid fault spec: \(message)" }
}

/// The fault plan in force and its generator, shared by all requests.
actor FaultInjector {
    private(set) var plan: FaultPlan
    private var generator: SeededGenerator

    init(plan: FaultPlan, seed: UInt64) {
        self.plan = plan
        generator = SeededGenerator(seed: seed)
    }

    /// Draws the fault for the next request (one draw per request, fault or not).
    func draw() -> (fault: FaultPlan.Kind?, plan: FaultPlan) {
        guard !plan.entries.isEmpty else { return (nil, plan) }
        return (plan.fault(for: generator.nextUnit()), plan)
    }

    /// Replaces the plan; restarts the generator when `seed` is given.
    func replace(plan: FaultPlan, seed: UInt64?) {
        self.plan = plan
        if let seed { generator = SeededGenerator(seed: seed) }
    }
}
