import Foundation

/// Several senders on one send log (`wave send`, `campaign send` as several processes): a
/// sender takes messages by writing its token into the message's `claimed_by`. The token is
/// live while the sender's session holds the advisory lock (`PostgresLocks.senders`, token);
/// a killed sender's session ends and its lock with it, so what it took and did not send is
/// free again for the others, without a timeout to tune.
final class PostgresSenderLease {
    private var token: Int64?

    /// This process's token, locked on its connection the first time.
    func token(on connection: PostgresConnection) throws -> Int64 {
        if let token { return token }
        while true {
            let candidate = Int64.random(in: 1...Int64(Int32.max))
            let took = try connection.execute(
                "SELECT pg_try_advisory_lock($1::int, $2::int)", [Int(PostgresLocks.senders), candidate]
            ).scalarString
            if took == "t" {
                token = candidate
                return candidate
            }
        }
    }

    /// An SQL condition, true when the message whose claim is `column` is free for the sender
    /// whose token is the parameter `token`: claimed by nobody, by that sender, or by a sender
    /// whose session is gone. The live tokens are read once per statement.
    static func free(_ column: String, token: String) -> String {
        """
        (\(column) IS NULL OR \(column) = \(token) OR \(column) <> ALL (ARRAY(\(liveTokens))))
        """
    }

    /// A condition true when the message is held by another sender that is still running.
    static func heldByOther(_ column: String, token: String) -> String {
        "NOT \(free(column, token: token))"
    }

    /// The tokens whose senders' sessions are alive, on this database.
    private static let liveTokens = """
        SELECT l.objid::bigint FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.classid = \(PostgresLocks.senders) AND l.objsubid = 2 AND l.granted
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """
}

extension PostgresJobStore {
    /// This sender's token (`PostgresSenderLease`), taken on the store's connection.
    public func senderToken() throws -> Int64 {
        do {
            return try lease.token(on: connection)
        } catch {
            throw Self.storeError(error, "cannot take a sender's lease", address: address)
        }
    }
}
