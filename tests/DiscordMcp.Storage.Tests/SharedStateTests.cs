using DiscordMcp.Storage.Configuration;
using DiscordMcp.Storage.SharedState;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Storage.Tests;

public sealed class SharedStateTests
{
    [Fact]
    public async Task Redis_token_bucket_is_shared_by_two_connection_multiplexers()
    {
        using var one = await Services.ConnectRedisAsync();
        using var two = await Services.ConnectRedisAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        var prefix = "dmcp-test:" + Guid.NewGuid().ToString("N") + ":";
        var a = new RedisRateLimiter(one, time, prefix);
        var b = new RedisRateLimiter(two, time, prefix);

        var results = new List<bool>();
        for (var i = 0; i < 6; i++)
            results.Add((await (i % 2 == 0 ? a : b).TryTakeAsync("guild:42", 5, 1, 1, CancellationToken.None)).Allowed);
        Assert.Equal([true, true, true, true, true, false], results);

        var denied = await a.TryTakeAsync("guild:42", 5, 1, 1, CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(1), denied.RetryAfter);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await b.TryTakeAsync("guild:42", 5, 1, 1, CancellationToken.None)).Allowed);
        Assert.False((await a.TryTakeAsync("guild:42", 5, 1, 1, CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task In_memory_token_bucket_refills_with_time_and_says_when_to_retry()
    {
        var time = new FakeTimeProvider();
        var limiter = new InMemoryRateLimiter(time);
        Assert.True((await limiter.TryTakeAsync("k", 2, 0.5, 2, CancellationToken.None)).Allowed);
        var denied = await limiter.TryTakeAsync("k", 2, 0.5, 1, CancellationToken.None);
        Assert.False(denied.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(2), denied.RetryAfter);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await limiter.TryTakeAsync("k", 2, 0.5, 1, CancellationToken.None)).Allowed);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => limiter.TryTakeAsync("k", 2, 0.5, 3, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Redis_pending_action_is_consumed_exactly_once_by_concurrent_consumers()
    {
        using var one = await Services.ConnectRedisAsync();
        // Redis expires the key at the action's expiry on its own clock, so the fake clock starts at the real now.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var prefix = "dmcp-test:" + Guid.NewGuid().ToString("N") + ":";
        var store = new RedisPendingActionStore(one, time, prefix);
        await PendingActionChecks.ConsumedExactlyOnceAsync(store, time);
    }

    [Fact]
    public async Task Redis_pending_actions_are_listed_per_workspace_from_an_index_that_create_consume_remove_and_listing_keep_exact()
    {
        using var one = await Services.ConnectRedisAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var prefix = "dmcp-test:" + Guid.NewGuid().ToString("N") + ":";
        var store = new RedisPendingActionStore(one, time, prefix);
        var live = await PendingActionChecks.ListsPerWorkspaceAsync(store, time);

        // The workspace index holds exactly the live actions: consumed and removed ones were dropped by their scripts,
        // the expired one by the listing. Nothing was found by scanning keys.
        var db = one.GetDatabase();
        var action = await store.GetAsync(live[0], CancellationToken.None);
        var members = await db.SortedSetRangeByRankAsync(prefix + "pending-ws:" + action!.WorkspaceId);
        Assert.Equal(live.Order(StringComparer.Ordinal), members.Select(m => (string)m!).Order(StringComparer.Ordinal));
        Assert.True((await db.KeyTimeToLiveAsync(prefix + "pending-ws:" + action.WorkspaceId)) is { } ttl && ttl > TimeSpan.Zero,
            "the index expires with its last member");
    }

    [Theory]
    [InlineData("redis://127.0.0.1:6380/2", "127.0.0.1:6380", 2, false, null)]
    [InlineData("rediss://:s3cret@cache.local:6390", "cache.local:6390", null, true, "s3cret")]
    [InlineData("redis://localhost", "localhost:6379", null, false, null)]
    [InlineData("127.0.0.1:56379", "127.0.0.1:56379", null, false, null)]
    public void Redis_url_becomes_configuration(string url, string endpoint, int? db, bool ssl, string? password)
    {
        var options = RedisUrl.Parse(url);
        Assert.Equal(endpoint, options.EndPoints.Single().ToString()!.Replace("Unspecified/", "", StringComparison.Ordinal));
        Assert.Equal(db, options.DefaultDatabase);
        Assert.Equal(ssl, options.Ssl);
        Assert.Equal(password, options.Password);
    }

    [Theory]
    [InlineData("http://host:6379")]
    [InlineData("redis://host:6379/99")]
    [InlineData("")]
    public void Bad_redis_url_names_REDIS_URL(string url)
    {
        var ex = Assert.Throws<FormatException>(() => RedisUrl.Parse(url));
        Assert.Contains("REDIS_URL", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://app:p%40ss@db.local:5433/discord?sslmode=require", "db.local", 5433, "discord", "app", "p@ss")]
    [InlineData("postgresql://app@db.local/discord", "db.local", 5432, "discord", "app", null)]
    [InlineData("Host=127.0.0.1;Port=55432;Username=postgres;Database=x", "127.0.0.1", 55432, "x", "postgres", null)]
    public void Postgres_database_urls_are_parsed(string url, string host, int port, string database, string user, string? password)
    {
        var parsed = DatabaseUrl.Parse(url, "/data");
        Assert.Equal(DatabaseProvider.Postgres, parsed.Provider);
        var b = new Npgsql.NpgsqlConnectionStringBuilder(parsed.ConnectionString);
        Assert.Equal((host, port, database, user, password), (b.Host, b.Port, b.Database, b.Username, b.Password));
        if (password is not null)
            Assert.DoesNotContain(password, parsed.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "/data/discord-mcp.db")]
    [InlineData("sqlite:///var/lib/x.db", "/var/lib/x.db")]
    [InlineData("sqlite://rel/x.db", "/data/rel/x.db")]
    [InlineData("my.db", "/data/my.db")]
    public void Sqlite_database_urls_resolve_to_a_file(string? url, string path)
    {
        var parsed = DatabaseUrl.Parse(url, "/data");
        Assert.Equal(DatabaseProvider.Sqlite, parsed.Provider);
        Assert.Equal("Data Source=" + path, parsed.ConnectionString);
    }

    [Theory]
    [InlineData("mysql://h/db", "scheme")]
    [InlineData("postgres://h", "no database")]
    [InlineData("sqlite://", "file path")]
    [InlineData("Port=5432;Database=x", "Host")]
    public void Bad_database_urls_say_what_is_wrong(string url, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => DatabaseUrl.Parse(url, "/data"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("DATABASE_URL", ex.Message, StringComparison.Ordinal);
    }
}
