using System.Reflection;
using DiscordMcp.Policy.Caching;
using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Policy.Tests;

public sealed class CachingPlatformStoreTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryPlatformStore _backing = new();
    private readonly CountingStore _counted;
    private readonly CachingPlatformStore _cache;

    public CachingPlatformStoreTests()
    {
        _counted = CountingStore.Wrap(_backing);
        _cache = new CachingPlatformStore((IPlatformStore)(object)_counted, _time, Ttl);
    }

    [Fact]
    public async Task Repeated_lookups_within_the_ttl_reach_the_store_once_and_again_after_it()
    {
        await _backing.CreateWorkspaceAsync(new Workspace("a", "A", _time.GetUtcNow()), CancellationToken.None);
        await _backing.InstallGuildAsync(new GuildInstallation(7, "a", _time.GetUtcNow()), CancellationToken.None);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("A", (await _cache.GetWorkspaceAsync("a", CancellationToken.None))!.Name);
            Assert.Equal("a", (await _cache.GetInstallationAsync(7, CancellationToken.None))!.WorkspaceId);
        }
        Assert.Equal(1, _counted.Calls("GetWorkspaceAsync"));
        Assert.Equal(1, _counted.Calls("GetInstallationAsync"));
        for (var i = 0; i < 3; i++)
            Assert.Single(await _cache.ListInstallationsAsync("a", CancellationToken.None));
        Assert.Equal(1, _counted.Calls("ListInstallationsAsync"));

        _time.Advance(Ttl);
        await _cache.GetWorkspaceAsync("a", CancellationToken.None);
        Assert.Equal(2, _counted.Calls("GetWorkspaceAsync"));
    }

    [Fact]
    public async Task A_change_made_elsewhere_is_seen_after_the_ttl_and_a_change_through_the_cache_at_once()
    {
        await _backing.CreateWorkspaceAsync(new Workspace("a", "A", _time.GetUtcNow()), CancellationToken.None);
        await _cache.GetToolPoliciesAsync("a", CancellationToken.None); // cached: none

        await _backing.SetToolPolicyAsync(new ToolPolicy("a", ToolPolicyTarget.Tool, "discord_list_roles", ToolMode.Deny), CancellationToken.None); // another process
        Assert.Empty(await _cache.GetToolPoliciesAsync("a", CancellationToken.None)); // not yet: within the ttl
        _time.Advance(Ttl);
        Assert.Single(await _cache.GetToolPoliciesAsync("a", CancellationToken.None));

        await _cache.RemoveToolPolicyAsync("a", ToolPolicyTarget.Tool, "discord_list_roles", CancellationToken.None); // this process
        Assert.Empty(await _cache.GetToolPoliciesAsync("a", CancellationToken.None)); // at once

        Assert.Empty(await _cache.ListInstallationsAsync("a", CancellationToken.None));
        await _cache.InstallGuildAsync(new GuildInstallation(9, "a", _time.GetUtcNow()), CancellationToken.None);
        Assert.Single(await _cache.ListInstallationsAsync("a", CancellationToken.None)); // an install is seen at once
    }

    [Fact]
    public async Task Absent_api_keys_are_not_cached_so_guessing_cannot_fill_the_cache_and_a_new_key_works_at_once()
    {
        Assert.Null(await _cache.FindApiKeyByLookupIdAsync("abc", CancellationToken.None));
        Assert.Null(await _cache.FindApiKeyByLookupIdAsync("abc", CancellationToken.None));
        Assert.Equal(2, _counted.Calls("FindApiKeyByLookupIdAsync"));

        await _backing.CreateWorkspaceAsync(new Workspace("a", "A", _time.GetUtcNow()), CancellationToken.None);
        await _backing.CreateApiKeyAsync(new ApiKeyRecord("k1", "a", "key:k1", PlatformRole.Viewer, "abc", "hash", _time.GetUtcNow()), CancellationToken.None);
        Assert.NotNull(await _cache.FindApiKeyByLookupIdAsync("abc", CancellationToken.None)); // created by another process: seen at once
    }

    [Fact]
    public async Task Revoking_through_the_cache_is_effective_on_the_next_lookup()
    {
        await _cache.CreateWorkspaceAsync(new Workspace("a", "A", _time.GetUtcNow()), CancellationToken.None);
        await _cache.CreateApiKeyAsync(new ApiKeyRecord("k1", "a", "key:k1", PlatformRole.Admin, "abc", "hash", _time.GetUtcNow()), CancellationToken.None);
        Assert.Null((await _cache.FindApiKeyByLookupIdAsync("abc", CancellationToken.None))!.RevokedAt);

        Assert.True(await _cache.RevokeApiKeyAsync("a", "k1", _time.GetUtcNow(), CancellationToken.None));

        Assert.NotNull((await _cache.FindApiKeyByLookupIdAsync("abc", CancellationToken.None))!.RevokedAt);
    }

    [Fact]
    public async Task Failures_are_not_cached_and_a_failed_write_still_clears_the_cache()
    {
        _counted.FailNext = new InvalidOperationException("database down");
        await Assert.ThrowsAsync<InvalidOperationException>(() => _cache.GetWorkspaceAsync("a", CancellationToken.None).AsTask());
        await _backing.CreateWorkspaceAsync(new Workspace("a", "A", _time.GetUtcNow()), CancellationToken.None);
        Assert.NotNull(await _cache.GetWorkspaceAsync("a", CancellationToken.None)); // the failure was not remembered as "absent"

        await _backing.UpdateWorkspaceAsync(new Workspace("a", "Renamed", _time.GetUtcNow()), CancellationToken.None);
        _counted.FailNext = new InvalidOperationException("write failed after changing something");
        await Assert.ThrowsAsync<InvalidOperationException>(() => _cache.SetToolPolicyAsync(new ToolPolicy("a", ToolPolicyTarget.Tool, "x", ToolMode.Deny), CancellationToken.None));
        Assert.Equal("Renamed", (await _cache.GetWorkspaceAsync("a", CancellationToken.None))!.Name);
    }

    [Fact]
    public async Task A_lookup_that_started_before_a_write_does_not_store_its_older_answer()
    {
        await _backing.CreateWorkspaceAsync(new Workspace("a", "A", _time.GetUtcNow()), CancellationToken.None);
        var gate = new TaskCompletionSource();
        _counted.HoldNext = gate.Task;
        var slow = _cache.GetWorkspaceAsync("a", CancellationToken.None).AsTask(); // reads "A", then waits

        await _cache.UpdateWorkspaceAsync(new Workspace("a", "B", _time.GetUtcNow()), CancellationToken.None);
        gate.SetResult();
        Assert.Equal("A", (await slow)!.Name); // it answers what it read…

        Assert.Equal("B", (await _cache.GetWorkspaceAsync("a", CancellationToken.None))!.Name); // …but did not cache it
    }

    [Fact]
    public async Task A_zero_ttl_disables_the_cache()
    {
        var uncached = new CachingPlatformStore((IPlatformStore)(object)_counted, _time, TimeSpan.Zero);
        await uncached.GetWorkspaceAsync("a", CancellationToken.None);
        await uncached.GetWorkspaceAsync("a", CancellationToken.None);
        Assert.Equal(2, _counted.Calls("GetWorkspaceAsync"));
    }

    /// <summary>Forwards to a real store, counting calls; can fail or hold (after reading) the next call.</summary>
    public class CountingStore : DispatchProxy
    {
        private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
        private IPlatformStore _inner = null!;

        public Exception? FailNext { get; set; }
        public Task? HoldNext { get; set; }

        public static CountingStore Wrap(IPlatformStore inner)
        {
            var proxy = (CountingStore)(object)Create<IPlatformStore, CountingStore>();
            proxy._inner = inner;
            return proxy;
        }

        public int Calls(string method) => _calls.GetValueOrDefault(method);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            _calls[targetMethod.Name] = Calls(targetMethod.Name) + 1;
            if (FailNext is { } failure)
            {
                FailNext = null;
                if (targetMethod.ReturnType == typeof(Task))
                    return Task.FromException(failure);
                var fault = typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!
                    .MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0]).Invoke(null, [failure])!;
                return targetMethod.ReturnType.GetGenericTypeDefinition() == typeof(ValueTask<>)
                    ? Activator.CreateInstance(targetMethod.ReturnType, fault)
                    : fault;
            }
            var result = targetMethod.Invoke(_inner, args);
            if (HoldNext is { } hold && targetMethod.Name == nameof(IPlatformStore.GetWorkspaceAsync))
            {
                HoldNext = null;
                var read = ((ValueTask<Workspace?>)result!).AsTask();
                return new ValueTask<Workspace?>(HoldAsync(read, hold));
            }
            return result;
        }

        private static async Task<Workspace?> HoldAsync(Task<Workspace?> read, Task hold)
        {
            var value = await read;
            await hold;
            return value;
        }
    }
}
