namespace DiscordMcp.Discord.Client.Rest;

/// <summary>
/// 401, 403 and (non-shared) 429 responses in a rolling 10-minute window, counted in 60 slots of 10 seconds,
/// because Discord bans an IP for a while after 10,000 of them.
/// </summary>
internal sealed class InvalidRequestCounter
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private const int SlotCount = 60;
    private static readonly long SlotTicks = Window.Ticks / SlotCount;

    private readonly Lock _lock = new();
    private readonly long[] _slotIndex = new long[SlotCount];
    private readonly int[] _slotCount = new int[SlotCount];

    /// <summary>Counts one invalid request and returns the total within the window.</summary>
    public int Record(DateTimeOffset now)
    {
        lock (_lock)
        {
            var index = now.UtcTicks / SlotTicks;
            var position = (int)(index % SlotCount);
            if (_slotIndex[position] != index)
            {
                _slotIndex[position] = index;
                _slotCount[position] = 0;
            }
            _slotCount[position]++;
            return SumLocked(index);
        }
    }

    /// <summary>Invalid requests within the window ending at <paramref name="now"/>.</summary>
    public int Count(DateTimeOffset now)
    {
        lock (_lock)
            return SumLocked(now.UtcTicks / SlotTicks);
    }

    private int SumLocked(long currentIndex)
    {
        var total = 0;
        for (var i = 0; i < SlotCount; i++)
        {
            if (currentIndex - _slotIndex[i] < SlotCount && _slotIndex[i] <= currentIndex)
                total += _slotCount[i];
        }
        return total;
    }
}
