using System.Globalization;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using StackExchange.Redis;

namespace DiscordMcp.Storage.SharedState;

/// <summary>
/// Pending actions in Redis (when <c>REDIS_URL</c> is set): one hash per action, expiring with it, plus one sorted set
/// per workspace (action ids scored by expiry) so listing never scans the keyspace. Create, approve, consume and remove
/// are Lua scripts that keep hash and index in step, so exactly one caller across every process sharing the Redis
/// consumes an action.
/// </summary>
internal sealed class RedisPendingActionStore(IConnectionMultiplexer redis, TimeProvider timeProvider, string keyPrefix = RedisRateLimiter.DefaultPrefix)
    : IPendingActionStore
{
    private static readonly string[] Fields = ["id", "ws", "pr", "tool", "args", "hash", "mode", "guild", "created", "exp", "appr"];

    // KEYS[1] action, KEYS[2] workspace index (sorted set: action id scored by expiry ms). ARGV: expire-at ms, id, now ms,
    // then field/value pairs. Returns 0 when the id exists. Prunes expired index members and lets the index expire with
    // its last member, so an idle workspace leaves nothing behind.
    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        for i = 4, #ARGV - 1, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        redis.call('PEXPIREAT', KEYS[1], ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
        redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
        local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
        redis.call('PEXPIREAT', KEYS[2], last[2])
        return 1
        """;

    // KEYS[1] action, KEYS[2] index of the binding's workspace. ARGV: ws, principal, tool, arg hash, now ms, id.
    // Returns {status, fields...}. Whatever deletes the action drops it from the index in the same step.
    private const string ConsumeScript = """
        local f = redis.call('HMGET', KEYS[1], 'id', 'ws', 'pr', 'tool', 'args', 'hash', 'mode', 'guild', 'created', 'exp', 'appr')
        if not f[1] then return {'not_found'} end
        if tonumber(f[10]) <= tonumber(ARGV[5]) then redis.call('DEL', KEYS[1]) redis.call('ZREM', KEYS[2], ARGV[6]) return {'expired'} end
        if f[2] ~= ARGV[1] or f[3] ~= ARGV[2] or f[4] ~= ARGV[3] or f[6] ~= ARGV[4] then return {'mismatch'} end
        if f[7] == 'approve' and (not f[11] or f[11] == '') then return {'not_approved'} end
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[6])
        for i = 1, 11 do if not f[i] then f[i] = '' end end
        return {'consumed', f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]}
        """;

    // KEYS[1] action. ARGV: approver, now ms.
    private const string ApproveScript = """
        local exp = redis.call('HGET', KEYS[1], 'exp')
        if not exp or tonumber(exp) <= tonumber(ARGV[2]) then return 0 end
        redis.call('HSET', KEYS[1], 'appr', ARGV[1])
        return 1
        """;

    // KEYS[1] action, KEYS[2] index of ARGV[1] (the workspace the caller read from the action). ARGV: ws, id.
    // Returns 1 removed, 0 missing, -1 when the action's workspace is not ARGV[1] (the caller re-reads and retries).
    private const string RemoveScript = """
        local ws = redis.call('HGET', KEYS[1], 'ws')
        if not ws then redis.call('ZREM', KEYS[2], ARGV[2]) return 0 end
        if ws ~= ARGV[1] then return -1 end
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[2])
        return 1
        """;

    // KEYS[1] workspace index. ARGV: now ms. Drops expired members, returns the rest (ids).
    private const string ListScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        return redis.call('ZRANGE', KEYS[1], 0, -1)
        """;

    public async ValueTask CreateAsync(PendingAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        string?[] values =
        [
            action.Id, action.WorkspaceId, action.PrincipalId, action.ToolName, action.CanonicalArguments, action.ArgumentHash,
            Mapping.Word(action.Mode), Mapping.Snowflake(action.GuildId) ?? "", Ms(action.CreatedAt), Ms(action.ExpiresAt), action.ApprovedBy ?? "",
        ];
        var args = new List<RedisValue>(Fields.Length * 2 + 3)
        {
            action.ExpiresAt.ToUnixTimeMilliseconds(), action.Id, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        for (var i = 0; i < Fields.Length; i++)
        {
            args.Add(Fields[i]);
            args.Add(values[i]);
        }
        var created = (long)await redis.GetDatabase().ScriptEvaluateAsync(CreateScript, [Key(action.Id), IndexKey(action.WorkspaceId)], [.. args]);
        if (created == 0)
            throw new PlatformConflictException($"Pending action '{action.Id}' already exists.");
    }

    public async ValueTask<PendingAction?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var values = await redis.GetDatabase().HashGetAsync(Key(id), [.. Fields.Select(f => (RedisValue)f)]);
        if (values[0].IsNull)
            return null;
        var action = FromFields(values.Select(v => (string?)v ?? "").ToArray(), 0);
        return action.ExpiresAt > timeProvider.GetUtcNow() ? action : null;
    }

    public async ValueTask<PendingConsumeResult> TryConsumeAsync(string id, PendingActionBinding binding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var raw = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ConsumeScript, [Key(id), IndexKey(binding.WorkspaceId)],
            [binding.WorkspaceId, binding.PrincipalId, binding.ToolName, binding.ArgumentHash, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), id]))!;
        var status = (string)raw[0]!;
        return status switch
        {
            "consumed" => new PendingConsumeResult(PendingConsumeStatus.Consumed, FromFields([.. raw.Skip(1).Select(r => (string?)r ?? "")], 0)),
            "expired" => new PendingConsumeResult(PendingConsumeStatus.Expired, null),
            "mismatch" => new PendingConsumeResult(PendingConsumeStatus.Mismatch, null),
            "not_approved" => new PendingConsumeResult(PendingConsumeStatus.NotApproved, null),
            _ => new PendingConsumeResult(PendingConsumeStatus.NotFound, null),
        };
    }

    public async ValueTask<bool> ApproveAsync(string id, string approverPrincipalId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(approverPrincipalId);
        var result = (long)await redis.GetDatabase().ScriptEvaluateAsync(ApproveScript, [Key(id)],
            [approverPrincipalId, timeProvider.GetUtcNow().ToUnixTimeMilliseconds()]);
        return result == 1;
    }

    public async ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        // The index key must be named up front (a script declares the keys it touches), so read the workspace first;
        // the script re-checks it. Ids are unique and never move between workspaces, so one retry is already generous.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var ws = (string?)await db.HashGetAsync(Key(id), "ws");
            if (ws is null)
                return false;
            var result = (long)await db.ScriptEvaluateAsync(RemoveScript, [Key(id), IndexKey(ws)], [ws, id]);
            if (result >= 0)
                return result == 1;
        }
        return false;
    }

    public async ValueTask<IReadOnlyList<PendingAction>> ListAsync(string workspaceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        var db = redis.GetDatabase();
        var now = timeProvider.GetUtcNow();
        var ids = (RedisValue[])(await db.ScriptEvaluateAsync(ListScript, [IndexKey(workspaceId)], [now.ToUnixTimeMilliseconds()]))!;
        var fields = Fields.Select(f => (RedisValue)f).ToArray();
        var reads = ids.Select(id => db.HashGetAsync(Key((string)id!), fields)).ToList();
        var rows = await Task.WhenAll(reads);
        var list = new List<PendingAction>(rows.Length);
        foreach (var values in rows)
        {
            if (values[0].IsNull)
                continue; // its hash expired between the script and the read; the next listing prunes it by score
            var action = FromFields([.. values.Select(v => (string?)v ?? "")], 0);
            if (action.ExpiresAt > now && string.Equals(action.WorkspaceId, workspaceId, StringComparison.Ordinal))
                list.Add(action);
        }
        return [.. list.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }

    /// <summary>Redis expires each action by itself (PEXPIREAT at its expiry), so nothing is left to remove.</summary>
    public ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken) => ValueTask.FromResult(0);

    private RedisKey Key(string id) => keyPrefix + "pending:" + id;

    private RedisKey IndexKey(string workspaceId) => keyPrefix + "pending-ws:" + workspaceId;

    private static string Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static PendingAction FromFields(string[] f, int o) => new(
        f[o], f[o + 1], f[o + 2], f[o + 3], f[o + 4], f[o + 5], Mapping.Parse<ToolMode>(f[o + 6]),
        f[o + 7].Length == 0 ? null : Mapping.ParseSnowflake(f[o + 7]),
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(f[o + 8], CultureInfo.InvariantCulture)),
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(f[o + 9], CultureInfo.InvariantCulture)),
        f[o + 10].Length == 0 ? null : f[o + 10]);
}
