using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also reports every timer created, with its due time. A test awaits
/// <see cref="NextTimerAsync"/> to know the code under test is now parked in <c>Task.Delay</c> — so advancing the
/// clock cannot race ahead of the delay being scheduled — and can assert the exact wait it asked for.
/// </summary>
public sealed class ObservableTimeProvider(DateTimeOffset start) : TimeProvider
{
    /// <summary>Safety net against a hung test: a timer that never comes fails the test after this long (real time).</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public ObservableTimeProvider()
        : this(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public FakeTimeProvider Fake { get; } = new(start);

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

    /// <summary>The due time of the next timer created.</summary>
    public async Task<TimeSpan> NextTimerAsync(TimeSpan? wait = null) =>
        await _timers.Reader.ReadAsync().AsTask().WaitAsync(wait ?? DefaultWait);

    /// <summary>True when no timer was created since the last <see cref="NextTimerAsync"/>.</summary>
    public bool NoPendingTimers => !_timers.Reader.TryPeek(out _);
}
