using DiscordMcp.Testing;

namespace DiscordMcp.Discord.Client.Tests.Gateway;

/// <summary>Gateway-test conveniences over the shared <see cref="ObservableTimeProvider"/>.</summary>
internal static class ObservableTimeProviderExtensions
{
    /// <summary>Waits for the next timer, checks its due time and fires it.</summary>
    public static async Task FireNextTimerAsync(this ObservableTimeProvider time, TimeSpan expectedDue)
    {
        var due = await time.NextTimerAsync(Scripted.Timeout);
        Assert.Equal(expectedDue, due);
        time.Advance(due);
    }

    /// <summary>Skips timer notifications until one with <paramref name="due"/> appears, then fires it.</summary>
    public static async Task FireTimerWithDueAsync(this ObservableTimeProvider time, TimeSpan due)
    {
        while (await time.NextTimerAsync(Scripted.Timeout) != due)
        {
        }
        time.Advance(due);
    }
}
