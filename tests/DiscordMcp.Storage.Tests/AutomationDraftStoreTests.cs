using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage.Configuration;

namespace DiscordMcp.Storage.Tests;

public sealed class AutomationDraftStoreTests
{
    public static TheoryData<DatabaseProvider> Providers => new() { DatabaseProvider.Sqlite, DatabaseProvider.Postgres };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Ef_drafts_are_listed_and_read_only_within_their_workspace(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        var platform = new EfPlatformStore(t.Database);
        var now = t.Time.GetUtcNow();
        await platform.CreateWorkspaceAsync(new Workspace("a", "A", now), CancellationToken.None);
        await platform.CreateWorkspaceAsync(new Workspace("b", "B", now), CancellationToken.None);
        await WorkspaceScopedAsync(new EfAutomationDraftStore(t.Database), now);
    }

    [Fact]
    public Task InMemory_drafts_are_listed_and_read_only_within_their_workspace() =>
        WorkspaceScopedAsync(new InMemoryAutomationDraftStore(), new DateTimeOffset(2026, 2, 1, 12, 0, 0, TimeSpan.Zero));

    private static async Task WorkspaceScopedAsync(IAutomationDraftStore store, DateTimeOffset now)
    {
        const string Definition = """{"actions":[{"arguments":{},"tool":"discord_list_roles"}],"conditions":[],"name":"r","schedule":null,"trigger":"member_joined"}""";
        await store.CreateAsync(new AutomationDraft("ad_2", "a", 42, "key:x", "Second", "member_joined", Definition, now.AddMinutes(1)), CancellationToken.None);
        await store.CreateAsync(new AutomationDraft("ad_1", "a", 42, "key:x", "First", "schedule", Definition, now), CancellationToken.None);
        await store.CreateAsync(new AutomationDraft("ad_3", "a", 43, "key:x", "Other guild", "member_joined", Definition, now), CancellationToken.None);
        await store.CreateAsync(new AutomationDraft("ad_b", "b", 42, "key:y", "Other workspace", "member_joined", Definition, now), CancellationToken.None);

        Assert.Equal(["ad_1", "ad_2"], (await store.ListAsync("a", 42, CancellationToken.None)).Select(d => d.Id));
        Assert.Equal(3, (await store.ListAsync("a", null, CancellationToken.None)).Count);
        Assert.Equal(["ad_b"], (await store.ListAsync("b", null, CancellationToken.None)).Select(d => d.Id));
        var read = await store.GetAsync("a", "ad_1", CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(("First", "schedule", Definition, 42UL, now), (read.Name, read.Trigger, read.DefinitionJson, read.GuildId, read.CreatedAt));
        Assert.Null(await store.GetAsync("b", "ad_1", CancellationToken.None));
        await Assert.ThrowsAsync<PlatformConflictException>(async () =>
            await store.CreateAsync(new AutomationDraft("ad_1", "a", 42, "key:x", "Dup", "schedule", Definition, now), CancellationToken.None));
    }
}
