using System.Text;
using DiscordMcp.Host.Admin;
using DiscordMcp.Policy.Security;

namespace DiscordMcp.Host.Doctor;

/// <summary>How a check came out: fine, worth fixing, or blocking use (exit code 1).</summary>
internal enum DoctorStatus
{
    Ok,
    Warn,
    Fail,
}

/// <summary>One line of the doctor's report: what was checked, what was found, and how to fix it.</summary>
internal sealed record DoctorFinding(DoctorStatus Status, string Check, string Message, string? Fix = null);

/// <summary>The doctor's findings, rendered as text or JSON, every string passed through the redactor (bot token, URLs with passwords).</summary>
internal sealed class DoctorReport(Redactor redactor)
{
    private readonly List<DoctorFinding> _findings = [];

    public IReadOnlyList<DoctorFinding> Findings => _findings;

    public bool Failed => _findings.Any(f => f.Status == DoctorStatus.Fail);

    public bool Warned => _findings.Any(f => f.Status == DoctorStatus.Warn);

    public void Ok(string check, string message) => Add(new(DoctorStatus.Ok, check, message));

    public void Warn(string check, string message, string fix) => Add(new(DoctorStatus.Warn, check, message, fix));

    public void Fail(string check, string message, string fix) => Add(new(DoctorStatus.Fail, check, message, fix));

    private void Add(DoctorFinding finding) =>
        _findings.Add(finding with { Message = redactor.Redact(finding.Message), Fix = finding.Fix is null ? null : redactor.Redact(finding.Fix) });

    public static string Label(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "OK  ",
        DoctorStatus.Warn => "WARN",
        _ => "FAIL",
    };

    public string RenderText()
    {
        var text = new StringBuilder();
        var width = _findings.Count == 0 ? 0 : _findings.Max(f => f.Check.Length);
        foreach (var f in _findings)
        {
            text.Append('[').Append(Label(f.Status)).Append("] ").Append(f.Check.PadRight(width)).Append("  ").Append(f.Message).Append('\n');
            if (f.Fix is not null)
                text.Append(' ', 9 + width).Append("fix: ").Append(f.Fix).Append('\n');
        }
        var failed = _findings.Count(f => f.Status == DoctorStatus.Fail);
        var warned = _findings.Count(f => f.Status == DoctorStatus.Warn);
        text.Append('\n').Append(failed > 0
            ? $"{failed} problem(s) block use, {warned} warning(s). Fix the FAIL lines first.\n"
            : warned > 0 ? $"No blocking problem; {warned} warning(s).\n" : "Everything checked is fine.\n");
        return text.ToString();
    }

    public string RenderJson() => AdminFormat.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("status", Failed ? "fail" : Warned ? "warn" : "ok");
        w.WriteStartArray("checks");
        foreach (var f in _findings)
        {
            w.WriteStartObject();
            w.WriteString("status", f.Status.ToString().ToLowerInvariant());
            w.WriteString("check", f.Check);
            w.WriteString("message", f.Message);
            w.WriteStringOrNull("fix", f.Fix);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });
}
