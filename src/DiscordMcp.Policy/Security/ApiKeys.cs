using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace DiscordMcp.Policy.Security;

/// <summary>
/// API keys: <c>dmcp_{lookup}_{secret}</c>. <c>lookup</c> is 12 lowercase hex characters (public, indexed);
/// <c>secret</c> is 32 random bytes in base64url (43 characters). Only SHA-256(secret) is stored; a fast hash is
/// enough because the secret has 256 bits of entropy. The prefix lets secret scanners find leaked keys.
/// </summary>
public static class ApiKeys
{
    /// <summary>Every key starts with this.</summary>
    public const string Prefix = "dmcp_";

    /// <summary>Length of the public lookup id.</summary>
    public const int LookupIdLength = 12;

    /// <summary>Length of the secret part (base64url of 32 bytes).</summary>
    public const int SecretLength = 43;

    /// <summary>Total length of a well-formed key.</summary>
    public const int KeyLength = 5 + LookupIdLength + 1 + SecretLength;

    /// <summary>Generates a new key. Show <see cref="GeneratedApiKey.Key"/> once; store only the lookup id and hash.</summary>
    public static GeneratedApiKey Generate()
    {
        Span<byte> lookupBytes = stackalloc byte[LookupIdLength / 2];
        RandomNumberGenerator.Fill(lookupBytes);
        var lookup = Convert.ToHexStringLower(lookupBytes);
        Span<byte> secretBytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(secretBytes);
        var secret = Base64UrlNoPadding(secretBytes);
        return new GeneratedApiKey(string.Concat(Prefix, lookup, "_", secret), lookup, HashSecret(secret));
    }

    /// <summary>Splits a presented key into lookup id and secret; false when it is not shaped like a key.</summary>
    public static bool TryParse(string? key, [NotNullWhen(true)] out string? lookupId, [NotNullWhen(true)] out string? secret)
    {
        lookupId = null;
        secret = null;
        if (key is null || key.Length != KeyLength || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[Prefix.Length + LookupIdLength] != '_')
        {
            return false;
        }

        var lookupSpan = key.AsSpan(Prefix.Length, LookupIdLength);
        foreach (var c in lookupSpan)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        var secretSpan = key.AsSpan(Prefix.Length + LookupIdLength + 1);
        foreach (var c in secretSpan)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        lookupId = lookupSpan.ToString();
        secret = secretSpan.ToString();
        return true;
    }

    /// <summary>Lowercase hex SHA-256 of the secret part.</summary>
    public static string HashSecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Constant-time check of <paramref name="secret"/> against a stored hex hash.</summary>
    public static bool VerifySecret(string secret, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(storedHash);
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), actual);
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        if (storedHash.Length != SHA256.HashSizeInBytes * 2 || Convert.FromHexString(storedHash, expected, out _, out var written) != System.Buffers.OperationStatus.Done || written != expected.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string Base64UrlNoPadding(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A freshly generated key. <see cref="ToString"/> never shows the secret.</summary>
public sealed record GeneratedApiKey(string Key, string LookupId, string SecretHash)
{
    /// <inheritdoc />
    public override string ToString() => $"GeneratedApiKey {{ LookupId = {LookupId}, Key = [redacted] }}";
}
