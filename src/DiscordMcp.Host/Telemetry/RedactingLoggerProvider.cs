using System.Collections;
using System.Globalization;
using DiscordMcp.Policy.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Host.Telemetry;

/// <summary>
/// Wraps a logger provider so that what it writes has passed through the audit <see cref="Redactor"/>: the message, every
/// state value (the JSON formatter writes them one by one) and the exception text. Levels that are off cost nothing extra.
/// </summary>
internal sealed class RedactingLoggerProvider(ILoggerProvider inner, Redactor redactor) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), redactor);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
            scoped.SetScopeProvider(scopeProvider);
    }

    public void Dispose() => inner.Dispose();

    /// <summary>Replaces every <see cref="ILoggerProvider"/> registration with a redacting wrapper around it.</summary>
    public static void WrapAll(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(ILoggerProvider) || descriptor.IsKeyedService)
                continue;
            services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp =>
                new RedactingLoggerProvider(Create(sp, descriptor), sp.GetService<Redactor>() ?? Redactor.Default));
        }
    }

    private static ILoggerProvider Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as ILoggerProvider
        ?? (descriptor.ImplementationFactory is { } factory
            ? (ILoggerProvider)factory(services)
            : (ILoggerProvider)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    private sealed class RedactingLogger(ILogger inner, Redactor redactor) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
                return;
            ArgumentNullException.ThrowIfNull(formatter);
            var message = redactor.Redact(formatter(state, exception) ?? "");
            var redacted = new RedactedState(message, Values(state));
            inner.Log(logLevel, eventId, redacted, exception is null ? null : new RedactedException(exception, redactor), static (s, _) => s.Message);
        }

        private KeyValuePair<string, object?>[] Values<TState>(TState state)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> list)
                return [];
            var values = new KeyValuePair<string, object?>[list.Count];
            for (var i = 0; i < list.Count; i++)
            {
                var (key, value) = list[i];
                // The template too: a message built by concatenation carries its values in the template itself.
                values[i] = new(key, Redact(value));
            }
            return values;
        }

        private object? Redact(object? value) => value switch
        {
            null => null,
            string text => redactor.Redact(text),
            bool or byte or short or int or long or ushort or uint or ulong or float or double or decimal or Enum or TimeSpan or DateTime or DateTimeOffset or Guid => value,
            IEnumerable items and not string => redactor.Redact(string.Join(", ", items.Cast<object?>().Select(x => Convert.ToString(x, CultureInfo.InvariantCulture)))),
            _ => redactor.Redact(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
        };
    }

    /// <summary>State whose values are redacted; <see cref="ToString"/> is the redacted message (the JSON formatter writes both).</summary>
    private sealed class RedactedState(string message, KeyValuePair<string, object?>[] values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public int Count => values.Length;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)values).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }
}

/// <summary>An exception as a log line shows it: type, redacted message and stack trace; the original is not reachable.</summary>
internal sealed class RedactedException : Exception
{
    private readonly string _text;

    public RedactedException(Exception original, Redactor redactor)
        : base(redactor.Redact((original ?? throw new ArgumentNullException(nameof(original))).Message))
    {
        _text = redactor.Redact(original.ToString());
        HResult = original.HResult;
    }

    public RedactedException()
    {
        _text = "";
    }

    public RedactedException(string message)
        : base(message)
    {
        _text = message;
    }

    public RedactedException(string message, Exception innerException)
        : base(message, innerException)
    {
        _text = message;
    }

    public override string? StackTrace => null;

    public override string ToString() => _text;
}
