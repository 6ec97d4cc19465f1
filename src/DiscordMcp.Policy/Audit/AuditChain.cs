using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using DiscordMcp.Policy.Model;

namespace DiscordMcp.Policy.Audit;

/// <summary>
/// The audit hash chain: <c>Hash = hex(SHA-256(utf8(PrevHash) || canonical(event)))</c>, where the canonical form is a
/// compact JSON object with a fixed field order (sequence, id, call id, time as UTC ticks, principal, workspace, guild,
/// channel, tool, arguments, decision, layer, reason, message, latency, outcome, then the entry point only when it is set, so
/// events written before it existed hash exactly as before) and never includes the hashes themselves.
/// Storage implementations call <see cref="Seal"/> while holding the append lock.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first event: 64 zeros.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Returns <paramref name="auditEvent"/> with sequence, prev hash and hash assigned.</summary>
    public static AuditEvent Seal(AuditEvent auditEvent, long sequence, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        ArgumentNullException.ThrowIfNull(prevHash);
        var sequenced = auditEvent with { Sequence = sequence, PrevHash = prevHash, Hash = "" };
        return sequenced with { Hash = ComputeHash(sequenced, prevHash) };
    }

    /// <summary>The hash of <paramref name="auditEvent"/> chained after <paramref name="prevHash"/>.</summary>
    public static string ComputeHash(AuditEvent auditEvent, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        ArgumentNullException.ThrowIfNull(prevHash);
        var buffer = new ArrayBufferWriter<byte>(512);
        WriteCanonical(auditEvent, prevHash, buffer);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The canonical bytes hashed for an event (prev hash first), for diagnostics and other implementations.</summary>
    public static byte[] CanonicalBytes(AuditEvent auditEvent, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        ArgumentNullException.ThrowIfNull(prevHash);
        var buffer = new ArrayBufferWriter<byte>(512);
        WriteCanonical(auditEvent, prevHash, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Checks events in sequence order: consecutive sequences, each <c>PrevHash</c> equal to the previous <c>Hash</c>
    /// (the first to <paramref name="expectedFirstPrevHash"/>, default genesis) and each hash recomputed.
    /// Returns the first broken link, or <see cref="AuditChainVerification.Valid"/>.
    /// </summary>
    public static AuditChainVerification Verify(IEnumerable<AuditEvent> events, string expectedFirstPrevHash = GenesisHash)
    {
        ArgumentNullException.ThrowIfNull(events);
        var prev = expectedFirstPrevHash;
        long? prevSequence = null;
        long count = 0;
        foreach (var e in events)
        {
            if (prevSequence is { } ps && e.Sequence != ps + 1)
            {
                return AuditChainVerification.Broken(e.Sequence, e.Id, $"sequence gap: expected {ps + 1}, found {e.Sequence} (an event was removed or reordered)", count);
            }

            if (!string.Equals(e.PrevHash, prev, StringComparison.Ordinal))
            {
                return AuditChainVerification.Broken(e.Sequence, e.Id, "prev_hash does not match the previous event's hash (an event was removed, inserted or edited)", count);
            }

            var expected = ComputeHash(e, prev);
            if (!string.Equals(e.Hash, expected, StringComparison.Ordinal))
            {
                return AuditChainVerification.Broken(e.Sequence, e.Id, "hash does not match the event's content (the event was edited)", count);
            }

            prev = e.Hash;
            prevSequence = e.Sequence;
            count++;
        }

        return AuditChainVerification.Valid(count);
    }

    private static void WriteCanonical(AuditEvent e, string prevHash, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = true });
        writer.WriteStartObject();
        writer.WriteString("prev", prevHash);
        writer.WriteNumber("seq", e.Sequence);
        writer.WriteString("id", e.Id);
        writer.WriteString("call", e.CallId);
        writer.WriteNumber("time", e.Time.UtcTicks);
        WriteNullable(writer, "principal", e.PrincipalId);
        WriteNullable(writer, "workspace", e.WorkspaceId);
        WriteNullable(writer, "guild", e.GuildId);
        WriteNullable(writer, "channel", e.ChannelId);
        writer.WriteString("tool", e.Tool);
        WriteNullable(writer, "args", e.Arguments);
        writer.WriteNumber("decision", (int)e.Decision);
        WriteNullable(writer, "layer", e.Layer);
        WriteNullable(writer, "reason", e.ReasonCode);
        WriteNullable(writer, "message", e.Message);
        writer.WriteNumber("latency_us", e.LatencyMicroseconds);
        writer.WriteNumber("outcome", (int)e.Outcome);
        if (e.EntryPoint is { } entry)
        {
            writer.WriteString("entry", entry);
        }

        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, ulong? value)
    {
        if (value is { } v)
        {
            // Snowflakes as strings, like on the wire.
            writer.WriteString(name, v.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}

/// <summary>Result of <see cref="AuditChain.Verify"/>. When broken, names the first bad event and why.</summary>
public sealed record AuditChainVerification(bool IsValid, long VerifiedCount, long? FirstBrokenSequence, string? FirstBrokenEventId, string? Reason)
{
    /// <summary>All events verified.</summary>
    public static AuditChainVerification Valid(long count) => new(true, count, null, null, null);

    /// <summary>A broken link at <paramref name="sequence"/>.</summary>
    public static AuditChainVerification Broken(long sequence, string eventId, string reason, long verifiedBefore) =>
        new(false, verifiedBefore, sequence, eventId, reason);
}
