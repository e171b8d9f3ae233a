/// The outcome of ``FindingsStorage/withExclusiveRun(_:_:)``: the body ran, or another process held
/// the run and the body did not run.
public enum ExclusiveRun<T: Sendable>: Sendable {
    /// The body ran while this process held the run; its value.
    case ran(T)
    /// Another process (or another handle on the same database) holds the run; `holder` says who, as
    /// far as the store knows (a process id and since when), for an operator.
    case held(holder: String)

    /// The body's value, or `nil` when another process held the run.
    public var value: T? {
        if case .ran(let value) = self { return value }
        return nil
    }
}
