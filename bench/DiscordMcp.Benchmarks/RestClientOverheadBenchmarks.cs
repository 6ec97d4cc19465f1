using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Json;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Rest;
using System.Text.Json;

namespace DiscordMcp.Benchmarks;

/// <summary>
/// Client overhead per REST call without network: <see cref="DiscordRestClient"/> + <see cref="DiscordRestTransport"/>
/// over <see cref="InMemoryDiscordHandler"/>, against a baseline that does the same HTTP exchange with a bare
/// <see cref="HttpClient"/> over the same handler and deserialises the same response into the same model.
/// Overhead = client − baseline of the same category (routing, validation, body serialisation, rate-limit bookkeeping,
/// header parsing, error translation). The transport's global limit is set to 1,000,000/s (it paces otherwise).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RestClientOverheadBenchmarks : IDisposable
{
    private static readonly Uri BaseUrl = new("https://discord.test/api/v10/");
    private static readonly Snowflake ChannelId = Snowflake.Parse(CannedPayloads.ChannelId);
    private static readonly CreateMessageRequest SendRequest = new() { Content = "Deploy finished: all checks green." };
    private static readonly ListMessagesQuery Fifty = new() { Limit = 50 };

    private HttpClient _clientHttp = null!;
    private HttpClient _bareHttp = null!;
    private DiscordRestClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _clientHttp = new HttpClient(new InMemoryDiscordHandler());
        _bareHttp = new HttpClient(new InMemoryDiscordHandler()) { BaseAddress = BaseUrl };
        _bareHttp.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bot bench.token");
        var transport = new DiscordRestTransport(_clientHttp, new DiscordClientOptions
        {
            BaseUrl = BaseUrl,
            Token = "bench.token",
            GlobalRequestsPerSecond = 1_000_000,
        });
        _client = new DiscordRestClient(transport);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _clientHttp?.Dispose();
        _bareHttp?.Dispose();
        GC.SuppressFinalize(this);
    }

    [BenchmarkCategory("GetChannel"), Benchmark(Baseline = true)]
    public async Task<DiscordChannel> GetChannel_bare_HttpClient()
    {
        using var response = await _bareHttp.GetAsync($"channels/{CannedPayloads.ChannelId}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return JsonSerializer.Deserialize(bytes, DiscordJsonContext.Default.DiscordChannel)!;
    }

    [BenchmarkCategory("GetChannel"), Benchmark]
    public Task<DiscordChannel> GetChannel_client() => _client.GetChannelAsync(ChannelId);

    [BenchmarkCategory("SendMessage"), Benchmark(Baseline = true)]
    public async Task<DiscordMessage> SendMessage_bare_HttpClient()
    {
        using var content = new ByteArrayContent(CannedPayloads.SendMessageBody);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var response = await _bareHttp.PostAsync($"channels/{CannedPayloads.ChannelId}/messages", content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return JsonSerializer.Deserialize(bytes, DiscordJsonContext.Default.DiscordMessage)!;
    }

    [BenchmarkCategory("SendMessage"), Benchmark]
    public Task<DiscordMessage> SendMessage_client() => _client.CreateMessageAsync(ChannelId, SendRequest);

    [BenchmarkCategory("ListMessages50"), Benchmark(Baseline = true)]
    public async Task<IReadOnlyList<DiscordMessage>> ListMessages50_bare_HttpClient()
    {
        using var response = await _bareHttp.GetAsync($"channels/{CannedPayloads.ChannelId}/messages?limit=50");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return JsonSerializer.Deserialize(bytes, DiscordJsonContext.Default.IReadOnlyListDiscordMessage)!;
    }

    [BenchmarkCategory("ListMessages50"), Benchmark]
    public Task<IReadOnlyList<DiscordMessage>> ListMessages50_client() => _client.GetMessagesAsync(ChannelId, Fifty);
}
