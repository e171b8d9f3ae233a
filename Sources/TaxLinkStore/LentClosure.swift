/// A caller's closure lent to work that runs elsewhere while the caller waits for it (a GRDB read
/// on its reader's queue): the caller is suspended until the work ends, so the closure is never
/// called concurrently with its owner's code, which is what makes the unchecked `Sendable` sound.
///
/// Lend an escapable copy made by `withoutActuallyEscaping`; the work ``take()``s it once and lets
/// it go before it returns, so the copy is unreferenced when that scope ends, whoever still holds
/// this box.
final class LentClosure<Closure>: @unchecked Sendable {
    // Taken once, by the work, while the lender waits.
    private var closure: Closure?

    init(_ closure: Closure) {
        self.closure = closure
    }

    /// The lent closure, which the box holds no longer (`nil` the second time).
    func take() -> Closure? {
        defer { closure = nil }
        return closure
    }
}
