using System.Text.Json;
using DiscordMcp.Policy.Audit;
using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Security;
using DiscordMcp.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Policy.Tests;

public sealed class RedactorTests
{
    [Theory]
    [InlineData("https://discord.com/api/webhooks/123456789012345678/AbCdEf_gh-IJKLmnopQRSTuvwxyz0123456789", "[redacted]")]
    [InlineData("post to https://canary.discordapp.com/api/v10/webhooks/1/tokentokentokentoken now", "post to [redacted] now")]
    [InlineData("http://127.0.0.1:5000/api/v10/webhooks/42/sandboxtokensandboxtoken", "http://127.0.0.1:5000/api/v10/webhooks/42/[redacted]")]
    [InlineData("key dmcp_0123456789ab_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde used", "key [redacted] used")]
    [InlineData("Authorization: Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123", "Authorization: Bot [redacted]")]
    [InlineData("Authorization: Bearer abcdefghijklmnopqrstuvwxyz", "Authorization: Bearer [redacted]")]
    [InlineData("token MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123 leaked", "token [redacted] leaked")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature", "jwt [redacted]")]
    [InlineData("Bot permissions are missing in #general", "Bot permissions are missing in #general")]
    [InlineData("nothing secret here, see https://discord.com/channels/1/2", "nothing secret here, see https://discord.com/channels/1/2")]
    public void Redacts_secrets_and_keeps_prose(string input, string expected)
    {
        Assert.Equal(expected, Redactor.Default.Redact(input));
    }

    // A 68-character webhook token as Discord and the sandbox issue them (upper, lower, digits, _ and -).
    private const string WebhookToken = "aB3_dEf-GhIjKlMnOpQrStUvWxYz0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ0123";

    [Theory]
    [InlineData("https://ptb.discord.com/api/webhooks/1/" + WebhookToken, "[redacted]")]
    [InlineData("https://discordapp.com/api/webhooks/123456789012345678/" + WebhookToken + "?wait=true", "[redacted]?wait=true")]
    [InlineData("http://127.0.0.1:41234/api/v10/webhooks/123456789012345678/" + WebhookToken + "/messages/1", "http://127.0.0.1:41234/api/v10/webhooks/123456789012345678/[redacted]/messages/1")]
    [InlineData("token=" + WebhookToken + ".", "token=[redacted].")]
    [InlineData("interaction aW50ZXJhY3Rpb246abcdefghijklmnopqrstuvwxyz0123456789 replied", "interaction [redacted] replied")]
    [InlineData("Authorization: sandbox.bot-token.Demo sent", "Authorization: [redacted] sent")]
    [InlineData("{\"authorization\":\"opaque-value\"}", "{\"authorization\":\"[redacted]\"}")]
    [InlineData("authorization=Basic dXNlcjpwYXNz", "authorization=Basic [redacted]")]
    [InlineData("Authorization: Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123", "Authorization: Bot [redacted]")]
    public void Redacts_every_secret_form(string input, string expected)
    {
        Assert.Equal(expected, Redactor.Default.Redact(input));
    }

    [Theory]
    [InlineData("message 1234567890123456789 in channel 987654321098765432 by user 112233445566778899")]
    [InlineData("https://discord.com/channels/1234567890123456789/987654321098765432/1122334455667788990")]
    [InlineData("sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a089f86d081")]
    [InlineData("hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("channel a-very-long-channel-name-that-is-exactly-sixty-eight-characters-long-ok")]
    [InlineData("The bot needs Authorization to manage webhooks; see the webhooks page. Bearer of news.")]
    [InlineData("Hello there! The meeting is at 10.30, bring 3.5 kg of snacks.")]
    [InlineData("{\"id\":\"1234567890123456789\",\"name\":\"general\",\"topic\":\"Bot commands only\"}")]
    [InlineData("/webhooks/123/short")]
    public void Leaves_ids_digests_and_prose_alone(string input)
    {
        Assert.Same(input, Redactor.Default.Redact(input));
    }

    [Fact]
    public void Configured_bot_token_is_redacted_wherever_it_appears()
    {
        var redactor = new Redactor([SandboxLikeToken]);
        Assert.Equal("failed with [redacted] at [redacted]!", redactor.Redact($"failed with {SandboxLikeToken} at {SandboxLikeToken}!"));
    }

    private const string SandboxLikeToken = "sandbox.bot-token.DiscordMCP-Demo";

    [Fact]
    public void Structured_json_keeps_its_shape_and_masks_only_strings()
    {
        var json = "{\"name\":\"hook\",\"token\":\"abcdefgh\",\"token_count\":3,\"nested\":[{\"url\":\"https://discord.com/api/webhooks/1/" + WebhookToken + "\"},true,null]}";
        using var document = JsonDocument.Parse(json);
        var redacted = Redactor.Default.RedactJson(document.RootElement);
        Assert.Equal("""{"name":"hook","token":"[redacted]","token_count":3,"nested":[{"url":"[redacted]"},true,null]}""", redacted.GetRawText());
    }

    [Fact]
    public void Structured_json_without_secrets_is_returned_as_is()
    {
        using var document = JsonDocument.Parse("""{"id":"1234567890123456789","content":"hello","count":2,"items":["a",{"token":"[redacted]"}]}""");
        var redacted = Redactor.Default.RedactJson(document.RootElement);
        Assert.Equal(document.RootElement.GetRawText(), redacted.GetRawText());
    }

    [Fact]
    public void Known_literal_secrets_are_redacted_even_without_token_shape()
    {
        var redactor = new Redactor(["sandbox.bot-token.DiscordMCP-Demo", "short"]);
        Assert.Equal("token=[redacted]; short stays", redactor.Redact("token=sandbox.bot-token.DiscordMCP-Demo; short stays"));
    }

    [Fact]
    public void Json_redaction_masks_secret_named_fields_and_secret_strings_everywhere()
    {
        var json = """{"name":"x","webhook_token":"abc","nested":{"Authorization":"Bot x","list":["https://discord.com/api/webhooks/1/secretsecretsecret"]},"count":3,"password":null}""";
        var redacted = Redactor.Default.RedactJson(json);
        Assert.Equal("""{"name":"x","webhook_token":"[redacted]","nested":{"Authorization":"[redacted]","list":["[redacted]"]},"count":3,"password":null}""", redacted);
    }

    [Fact]
    public void Invalid_json_is_redacted_as_text()
    {
        Assert.Equal("{oops [redacted]", Redactor.Default.RedactJson("{oops dmcp_0123456789ab_xyzxyzxyz"));
    }
}

public sealed class ApiKeyTests
{
    [Fact]
    public void Generated_key_parses_and_verifies_and_hides_secret_in_ToString()
    {
        var key = ApiKeys.Generate();
        Assert.StartsWith("dmcp_", key.Key, StringComparison.Ordinal);
        Assert.Equal(ApiKeys.KeyLength, key.Key.Length);
        Assert.True(ApiKeys.TryParse(key.Key, out var lookup, out var secret));
        Assert.Equal(key.LookupId, lookup);
        Assert.True(ApiKeys.VerifySecret(secret, key.SecretHash));
        Assert.False(ApiKeys.VerifySecret(secret + "x", key.SecretHash));
        Assert.DoesNotContain(secret, key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, key.SecretHash, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dmcp_")]
    [InlineData("xxxx_0123456789ab_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdef")]
    [InlineData("dmcp_0123456789AB_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdef")]
    [InlineData("dmcp_0123456789ab-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdef")]
    [InlineData("dmcp_0123456789ab_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde!")]
    public void Malformed_keys_do_not_parse(string? key)
    {
        Assert.False(ApiKeys.TryParse(key, out _, out _));
    }

    [Fact]
    public void Malformed_stored_hash_never_verifies()
    {
        Assert.False(ApiKeys.VerifySecret("secret", "not-hex"));
    }
}

public sealed class AuditChainTests
{
    private static AuditEvent NewEvent(int i) => new(
        $"e{i}", $"c{i}", new DateTimeOffset(2025, 1, 1, 0, 0, i, TimeSpan.Zero), "key:p", "acme", 100, 200, "discord_send_message",
        "{\"content\":\"hi\"}", AuditDecision.Allowed, null, null, null, 12, AuditOutcome.Executed);

    private static async Task<InMemoryAuditLog> LogWithAsync(int count)
    {
        var log = new InMemoryAuditLog();
        SecretScan.Track("Policy.Tests audit", log.Snapshot);
        for (var i = 0; i < count; i++)
        {
            await log.AppendAsync(NewEvent(i), default);
        }

        return log;
    }

    [Fact]
    public async Task Appended_events_form_a_verifiable_chain()
    {
        var log = await LogWithAsync(5);
        var events = log.Snapshot();
        Assert.Equal(AuditChain.GenesisHash, events[0].PrevHash);
        Assert.Equal(events[0].Hash, events[1].PrevHash);
        Assert.Equal([1L, 2, 3, 4, 5], events.Select(e => e.Sequence));
        var result = AuditChain.Verify(events);
        Assert.True(result.IsValid);
        Assert.Equal(5, result.VerifiedCount);
        Assert.Equal(new AuditChainHead(5, events[^1].Hash), await log.GetHeadAsync(default));
    }

    [Theory]
    [InlineData("edit_message")]
    [InlineData("edit_decision")]
    [InlineData("edit_time")]
    [InlineData("rehash_edited")]
    public async Task Edited_event_is_detected_at_its_sequence(string tamper)
    {
        var log = await LogWithAsync(5);
        var original = log.Snapshot()[2];
        var edited = tamper switch
        {
            "edit_message" => original with { Arguments = "{\"content\":\"bye\"}" },
            "edit_decision" => original with { Decision = AuditDecision.Denied },
            "edit_time" => original with { Time = original.Time.AddSeconds(1) },
            // An attacker who recomputes the edited event's hash still breaks the next link.
            _ => AuditChain.Seal(original with { Tool = "discord_other" }, original.Sequence, original.PrevHash),
        };
        log.TamperForTest(2, edited);
        var result = AuditChain.Verify(log.Snapshot());
        Assert.False(result.IsValid);
        Assert.Equal(tamper == "rehash_edited" ? 4 : 3, result.FirstBrokenSequence);
        Assert.Equal(result.FirstBrokenSequence - 1, result.VerifiedCount);
    }

    [Fact]
    public async Task Removed_event_is_detected_as_a_gap()
    {
        var log = await LogWithAsync(4);
        var events = log.Snapshot().Where(e => e.Sequence != 2).ToList();
        var result = AuditChain.Verify(events);
        Assert.False(result.IsValid);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("sequence gap", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_append_continues_the_chain_and_read_filters()
    {
        var log = await LogWithAsync(2);
        await log.AppendBatchAsync([NewEvent(10) with { WorkspaceId = "other" }, NewEvent(11)], default);
        Assert.True(AuditChain.Verify(log.Snapshot()).IsValid);
        var other = await log.ReadAsync(new AuditQuery(WorkspaceId: "other"), default);
        Assert.Equal("e10", Assert.Single(other).Id);
        Assert.Equal(2, (await log.ReadAsync(new AuditQuery(AfterSequence: 2), default)).Count);
    }

    [Fact]
    public async Task Newest_first_returns_the_latest_matching_events_of_one_workspace_and_tools_filter_any_of()
    {
        var log = new InMemoryAuditLog();
        SecretScan.Track("Policy.Tests audit", log.Snapshot);
        await log.AppendBatchAsync(
        [
            NewEvent(1), NewEvent(2) with { WorkspaceId = "other" }, NewEvent(3) with { Tool = "discord_list_roles" },
            NewEvent(4), NewEvent(5) with { WorkspaceId = "other", Tool = "discord_list_roles" },
        ], default);

        var newest = await log.ReadAsync(new AuditQuery(WorkspaceId: "acme", Limit: 2, NewestFirst: true), default);
        var tools = await log.ReadAsync(new AuditQuery(WorkspaceId: "acme", Tools: ["discord_list_roles", "discord_get_guild"]), default);
        var none = await log.ReadAsync(new AuditQuery(Tools: []), default);

        Assert.Equal(["e4", "e3"], newest.Select(e => e.Id));
        Assert.Equal("e3", Assert.Single(tools).Id);
        Assert.Empty(none);
    }

    [Fact]
    public void Hash_covers_every_field()
    {
        var e = NewEvent(1) with { Sequence = 1 };
        var baseline = AuditChain.ComputeHash(e, AuditChain.GenesisHash);
        AuditEvent[] variants =
        [
            e with { Id = "x" }, e with { CallId = "x" }, e with { PrincipalId = null }, e with { WorkspaceId = "x" },
            e with { GuildId = 1 }, e with { ChannelId = null }, e with { Tool = "x" }, e with { Layer = "x" },
            e with { ReasonCode = "x" }, e with { Message = "x" }, e with { LatencyMicroseconds = 13 },
            e with { Outcome = AuditOutcome.Failed }, e with { Sequence = 2 },
        ];
        Assert.All(variants, v => Assert.NotEqual(baseline, AuditChain.ComputeHash(v, AuditChain.GenesisHash)));
        Assert.NotEqual(baseline, AuditChain.ComputeHash(e, new string('1', 64)));
        Assert.NotEqual(baseline, AuditChain.ComputeHash(e with { EntryPoint = "agent" }, AuditChain.GenesisHash));
        Assert.NotEqual(AuditChain.ComputeHash(e with { EntryPoint = "http" }, AuditChain.GenesisHash), AuditChain.ComputeHash(e with { EntryPoint = "agent" }, AuditChain.GenesisHash));
    }

    [Fact]
    public void An_event_without_entry_point_hashes_exactly_as_before_the_field_existed()
    {
        var e = NewEvent(1) with { Sequence = 1 };
        var canonical = System.Text.Encoding.UTF8.GetString(AuditChain.CanonicalBytes(e, AuditChain.GenesisHash));
        Assert.EndsWith("\"latency_us\":12,\"outcome\":2}", canonical, StringComparison.Ordinal);
        Assert.DoesNotContain("entry", canonical, StringComparison.Ordinal);
        // The pre-existing canonical form (fixed field order, no entry point) still hashes to the same digest.
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical))),
            AuditChain.ComputeHash(e, AuditChain.GenesisHash));
        Assert.EndsWith("\"outcome\":2,\"entry\":\"agent\"}", System.Text.Encoding.UTF8.GetString(AuditChain.CanonicalBytes(e with { EntryPoint = "agent" }, AuditChain.GenesisHash)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_of_old_and_new_events_verifies_and_an_edited_entry_point_breaks_it()
    {
        var log = new InMemoryAuditLog();
        await log.AppendBatchAsync([NewEvent(1), NewEvent(2) with { EntryPoint = "agent" }, NewEvent(3), NewEvent(4) with { EntryPoint = "http" }], default);
        Assert.True(AuditChain.Verify(log.Snapshot()).IsValid);
        Assert.Equal(["e2"], (await log.ReadAsync(new AuditQuery(EntryPoint: "agent"), default)).Select(x => x.Id));

        var events = log.Snapshot();
        log.TamperForTest(1, events[1] with { EntryPoint = "http" });
        Assert.Equal(2, AuditChain.Verify(log.Snapshot()).FirstBrokenSequence);
        log.TamperForTest(1, events[1]);
        log.TamperForTest(2, events[2] with { EntryPoint = "cli" }); // an old event given an entry point afterwards
        Assert.Equal(3, AuditChain.Verify(log.Snapshot()).FirstBrokenSequence);
    }
}

public sealed class InMemoryPortTests
{
    [Fact]
    public async Task Bucket_refills_by_elapsed_time_and_reports_retry_after()
    {
        var time = new FakeTimeProvider();
        var limiter = new InMemoryRateLimiter(time);
        Assert.True((await limiter.TryTakeAsync("k", 2, 0.5, 1, default)).Allowed);
        Assert.True((await limiter.TryTakeAsync("k", 2, 0.5, 1, default)).Allowed);
        var denied = await limiter.TryTakeAsync("k", 2, 0.5, 1, default);
        Assert.False(denied.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(2), denied.RetryAfter);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), (await limiter.TryTakeAsync("k", 2, 0.5, 1, default)).RetryAfter);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await limiter.TryTakeAsync("k", 2, 0.5, 1, default)).Allowed);
        Assert.True((await limiter.TryTakeAsync("other", 2, 0.5, 1, default)).Allowed);
    }

    [Fact]
    public async Task Bucket_never_exceeds_capacity_after_long_idle()
    {
        var time = new FakeTimeProvider();
        var limiter = new InMemoryRateLimiter(time);
        await limiter.TryTakeAsync("k", 3, 1, 1, default);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, (await limiter.TryTakeAsync("k", 3, 1, 1, default)).Remaining);
    }

    [Fact]
    public async Task Pending_store_expires_and_removes_expired()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryPendingActionStore(time);
        var now = time.GetUtcNow();
        var action = new PendingAction("pa_1", "acme", "p", "t", "{}", "h", ToolMode.Confirm, 1, now, now.AddMinutes(1));
        await store.CreateAsync(action, default);
        Assert.NotNull(await store.GetAsync("pa_1", default));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await store.GetAsync("pa_1", default));
        Assert.Equal(1, await store.RemoveExpiredAsync(default));
        Assert.Equal(PendingConsumeStatus.NotFound, (await store.TryConsumeAsync("pa_1", new("acme", "p", "t", "h"), default)).Status);
    }

    [Fact]
    public async Task Pending_store_lists_a_workspace_unexpired_actions_oldest_first()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryPendingActionStore(time);
        var now = time.GetUtcNow();
        PendingAction Make(string id, string ws, int createdAgoMinutes, int expiresInMinutes) =>
            new(id, ws, "p", "t", "{}", "h", ToolMode.Approve, 1, now.AddMinutes(-createdAgoMinutes), now.AddMinutes(expiresInMinutes));
        foreach (var a in new[] { Make("pa_new", "acme", 1, 2), Make("pa_old", "acme", 5, 30), Make("pa_short", "acme", 0, 1), Make("pa_theirs", "other", 9, 30) })
            await store.CreateAsync(a, default);

        Assert.Equal(["pa_old", "pa_new", "pa_short"], (await store.ListAsync("acme", default)).Select(a => a.Id));
        await store.RemoveAsync("pa_new", default);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["pa_old"], (await store.ListAsync("acme", default)).Select(a => a.Id));
        Assert.Equal(["pa_theirs"], (await store.ListAsync("other", default)).Select(a => a.Id));
    }

    [Fact]
    public async Task Guild_belongs_to_at_most_one_workspace()
    {
        var store = new InMemoryPlatformStore();
        await store.CreateWorkspaceAsync(new Workspace("a", "A", DateTimeOffset.UnixEpoch), default);
        await store.CreateWorkspaceAsync(new Workspace("b", "B", DateTimeOffset.UnixEpoch), default);
        await store.InstallGuildAsync(new GuildInstallation(1, "a", DateTimeOffset.UnixEpoch), default);
        await store.InstallGuildAsync(new GuildInstallation(1, "a", DateTimeOffset.UnixEpoch), default);
        await Assert.ThrowsAsync<Ports.PlatformConflictException>(() => store.InstallGuildAsync(new GuildInstallation(1, "b", DateTimeOffset.UnixEpoch), default));
    }

    [Fact]
    public async Task Policy_import_is_all_or_nothing()
    {
        var store = new InMemoryPlatformStore();
        await store.CreateWorkspaceAsync(new Workspace("a", "A", DateTimeOffset.UnixEpoch), default);
        await store.InstallGuildAsync(new GuildInstallation(1, "a", DateTimeOffset.UnixEpoch), default);
        await store.SetToolPolicyAsync(new ToolPolicy("a", ToolPolicyTarget.Tool, "t", ToolMode.Deny), default);
        await Assert.ThrowsAsync<Ports.PlatformNotFoundException>(() => store.ReplacePoliciesAsync("a",
            [new ChannelPolicy(1, ChannelPolicyScope.Channel, 5, Read: AccessRule.Deny), new ChannelPolicy(2, ChannelPolicyScope.Channel, 6)],
            [], default));
        Assert.Single(await store.GetToolPoliciesAsync("a", default));
        Assert.Empty(await store.GetChannelPoliciesAsync(1, default));
    }
}

public sealed class AuditRecoveryTests
{
    [Fact]
    public async Task Executing_without_outcome_is_marked_outcome_unknown_once()
    {
        var time = new FakeTimeProvider();
        var log = new InMemoryAuditLog();
        SecretScan.Track("Policy.Tests audit", log.Snapshot);
        AuditEvent E(string call, AuditOutcome outcome) => new(Guid.NewGuid().ToString("N"), call, time.GetUtcNow(), "p", "acme", 1, 2, "t", "{}", AuditDecision.Allowed, null, null, null, 1, outcome);
        await log.AppendAsync(E("done", AuditOutcome.Executing), default);
        await log.AppendAsync(E("done", AuditOutcome.Executed), default);
        await log.AppendAsync(E("crashed", AuditOutcome.Executing), default);

        Assert.Equal(1, await AuditRecovery.MarkOutcomeUnknownAsync(log, time, default, pageSize: 2));
        Assert.Equal(0, await AuditRecovery.MarkOutcomeUnknownAsync(log, time, default, pageSize: 2));
        var last = log.Snapshot()[^1];
        Assert.Equal(("crashed", AuditOutcome.OutcomeUnknown), (last.CallId, last.Outcome));
        Assert.True(AuditChain.Verify(log.Snapshot()).IsValid);
    }
}
