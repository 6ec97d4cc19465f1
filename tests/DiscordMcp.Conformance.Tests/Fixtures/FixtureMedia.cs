using System.Buffers.Binary;

namespace DiscordMcp.Conformance.Tests.Fixtures;

/// <summary>Tiny but valid media for the image, audio and binary-resource fixtures.</summary>
internal static class FixtureMedia
{
    /// <summary>The pause between the notifications of the logging and progress fixtures (the scenarios ask for ~50 ms).</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    /// <summary>A 1×1 RGB PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGOISP0EAALIAbDfJSJbAAAAAElFTkSuQmCC");

    /// <summary>A PCM WAV file: mono, 8 kHz, 16-bit, four samples of silence.</summary>
    public static readonly byte[] Wav = BuildWav(sampleRate: 8000, samples: 4);

    private static byte[] BuildWav(int sampleRate, int samples)
    {
        const short channels = 1, bitsPerSample = 16;
        var dataBytes = samples * channels * bitsPerSample / 8;
        var wav = new byte[44 + dataBytes];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);                       // fmt chunk size
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);                        // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], channels);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * channels * bitsPerSample / 8); // byte rate
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], (short)(channels * bitsPerSample / 8));     // block align
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], bitsPerSample);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        return wav;
    }
}
