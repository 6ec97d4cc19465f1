using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Discord.Client.Tests.Gateway;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer created (its due time), so a test can wait until the
/// client has armed a timer before advancing time — no races, no sleeps.
/// </summary>
internal sealed class ObservableTimeProvider : TimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    public void Advance(TimeSpan by) => Fake.Advance(by);

    /// <summary>The due time of the next timer the code under test creates.</summary>
    public async Task<TimeSpan> NextTimerAsync() => await _timers.Reader.ReadAsync().AsTask().WaitAsync(Scripted.Timeout);

    /// <summary>Waits for the next timer, checks its due time and fires it.</summary>
    public async Task FireNextTimerAsync(TimeSpan expectedDue)
    {
        var due = await NextTimerAsync();
        Assert.Equal(expectedDue, due);
        Advance(due);
    }

    /// <summary>Skips timer notifications until one with <paramref name="due"/> appears, then fires it.</summary>
    public async Task FireTimerWithDueAsync(TimeSpan due)
    {
        while (await NextTimerAsync() != due)
        {
        }
        Advance(due);
    }

    public bool HasPendingTimerNotification => _timers.Reader.TryPeek(out _);
}
