using DiscordMcp.Host.Hosting;
using DiscordMcp.Mcp;
using DiscordMcp.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Host.Tests;

/// <summary>Storage prepared in the background (stdio): tool calls wait for it, and a failure stops the host and refuses every call.</summary>
public sealed class PlatformStartupTests
{
    [Fact]
    public async Task In_the_background_start_returns_at_once_and_calls_wait_until_storage_is_ready()
    {
        var storage = new GatedStorage();
        var lifetime = new RecordingLifetime();
        using var startup = Create(storage, lifetime, inBackground: true);

        await startup.StartAsync(CancellationToken.None); // returns although storage is not ready
        var waiting = startup.WaitAsync(CancellationToken.None);
        await storage.Started.Task; // the initialisation really runs meanwhile

        Assert.False(waiting.IsCompleted);
        storage.Release.SetResult();
        await waiting;
        Assert.Equal(1, storage.Installs); // the sandbox guild was installed before ready
        Assert.Null(startup.Failure);
        Assert.False(lifetime.StopRequested);
    }

    [Fact]
    public async Task A_background_failure_stops_the_host_and_refuses_every_call()
    {
        var storage = new GatedStorage();
        var lifetime = new RecordingLifetime();
        using var startup = Create(storage, lifetime, inBackground: true);

        await startup.StartAsync(CancellationToken.None);
        storage.Release.SetException(new IOException("disk full"));
        var refused = await Assert.ThrowsAsync<PlatformUnavailableException>(() => startup.WaitAsync(CancellationToken.None));

        Assert.Contains("disk full", refused.Message, StringComparison.Ordinal);
        Assert.Contains("no tool can run", refused.Message, StringComparison.Ordinal);
        Assert.True(lifetime.StopRequested);
        Assert.NotNull(startup.Failure);
        Assert.Equal(0, storage.Installs); // nothing after the failed step
        await startup.StopAsync(CancellationToken.None); // stopping after a failure is quiet
    }

    [Fact]
    public async Task In_the_foreground_start_completes_only_when_storage_is_ready_and_a_failure_is_thrown()
    {
        var storage = new GatedStorage();
        using var startup = Create(storage, new RecordingLifetime(), inBackground: false);

        var starting = startup.StartAsync(CancellationToken.None);
        await storage.Started.Task;
        Assert.False(starting.IsCompleted);
        storage.Release.SetException(new IOException("locked"));

        var failure = await Assert.ThrowsAsync<PlatformStartupException>(() => starting);
        Assert.Contains("locked", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_during_a_background_initialisation_cancels_it_and_calls_are_refused()
    {
        var storage = new GatedStorage { HonourCancellation = true };
        using var startup = Create(storage, new RecordingLifetime(), inBackground: true);

        await startup.StartAsync(CancellationToken.None);
        await storage.Started.Task;
        await startup.StopAsync(CancellationToken.None);

        await Assert.ThrowsAsync<PlatformUnavailableException>(() => startup.WaitAsync(CancellationToken.None));
    }

    private static PlatformStartup Create(GatedStorage storage, RecordingLifetime lifetime, bool inBackground) => new(
        storage,
        new PlatformStartupOptions(SandboxGuildId: 42UL, InBackground: inBackground),
        new ServiceCollection().BuildServiceProvider(),
        lifetime,
        new FakeTimeProvider(),
        NullLogger<PlatformStartup>.Instance);

    private sealed class GatedStorage : IStorageInitializer
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool HonourCancellation { get; init; }
        public int Installs { get; private set; }

        public async Task InitializeAsync(CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await (HonourCancellation ? Release.Task.WaitAsync(cancellationToken) : Release.Task);
        }

        public Task InstallIntoDefaultWorkspaceAsync(ulong guildId, CancellationToken cancellationToken)
        {
            Installs++;
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingLifetime : IHostApplicationLifetime
    {
        public bool StopRequested { get; private set; }
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => StopRequested = true;
    }
}
