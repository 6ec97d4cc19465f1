using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace DiscordMcp.Storage;

/// <summary>
/// One entity's rows through plain ADO.NET commands, with the table, the column names, the value converters and the
/// parameter types all taken from the EF model of the context's provider — EF's own mapping, without its per-call query
/// and change-tracking pipeline. Used only for the few statements every write runs on its way to Discord (a pending
/// action's create and consume, the audit append), where that pipeline cost several times the statement itself
/// (docs/benchmarks.md §7); everything else stays on EF.
/// </summary>
internal sealed class RawRows<T> where T : class
{
    private static readonly ConcurrentDictionary<Type, RawRows<T>> ByContext = new();

    private readonly ColumnMap[] _columns;
    private readonly Dictionary<string, ColumnMap> _byProperty;
    private readonly string[] _insertParameters;
    private readonly ConcurrentDictionary<string, string> _statements = new(StringComparer.Ordinal);

    private sealed record ColumnMap(string Name, PropertyInfo Property, RelationalTypeMapping Mapping, Type ProviderType);

    private RawRows(IEntityType entity)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        Table = Quote(table.Name);
        _columns = [.. entity.GetProperties().Select(p =>
        {
            var mapping = (RelationalTypeMapping)p.GetTypeMapping();
            var provider = mapping.Converter?.ProviderClrType ?? p.ClrType;
            return new ColumnMap(p.GetColumnName(table)!, p.PropertyInfo!, mapping, Nullable.GetUnderlyingType(provider) ?? provider);
        })];
        _byProperty = _columns.ToDictionary(c => c.Property.Name, StringComparer.Ordinal);
        Columns = string.Join(", ", _columns.Select(c => Quote(c.Name)));
        _insertParameters = [.. _columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture))];
        InsertSql = $"INSERT INTO {Table} ({Columns}) VALUES ({string.Join(", ", _insertParameters)})";
    }

    /// <summary>The mapping for this context's model (one per provider).</summary>
    public static RawRows<T> Of(DbContext db) =>
        ByContext.GetOrAdd(db.GetType(), static (_, model) => new RawRows<T>(model.FindEntityType(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.")), db.Model);

    /// <summary>The quoted table name.</summary>
    public string Table { get; }

    /// <summary>Every column, quoted, in the order <see cref="Read"/> expects (for <c>SELECT</c> and <c>RETURNING</c>).</summary>
    public string Columns { get; }

    /// <summary>An <c>INSERT</c> of one row; its parameters come from <see cref="AddInsertParameters"/>.</summary>
    public string InsertSql { get; }

    /// <summary>The quoted name of the column of <paramref name="property"/>.</summary>
    public string Column(string property) => Quote(_byProperty[property].Name);

    /// <summary>A statement built once per provider from this mapping (<paramref name="name"/> identifies it).</summary>
    public string Statement(string name, Func<RawRows<T>, string> build) =>
        _statements.GetOrAdd(name, static (_, state) => state.Build(state.Rows), (Rows: this, Build: build));

    /// <summary>The parameters of <see cref="InsertSql"/> for <paramref name="row"/>, converted as EF converts them.</summary>
    public void AddInsertParameters(DbCommand command, T row)
    {
        ArgumentNullException.ThrowIfNull(command);
        for (var i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i];
            command.Parameters.Add(c.Mapping.CreateParameter(command, _insertParameters[i], c.Property.GetValue(row), nullable: true));
        }
    }

    /// <summary>A parameter holding <paramref name="value"/> as the column of <paramref name="property"/> stores it.</summary>
    public DbParameter Parameter(DbCommand command, string name, string property, object? value) =>
        _byProperty[property].Mapping.CreateParameter(command, name, value, nullable: true);

    /// <summary>The row at the reader's position, its columns in <see cref="Columns"/> order.</summary>
    public T Read(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var row = Activator.CreateInstance<T>(); // the entities' required members are set from the row below
        for (var i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i];
            if (reader.IsDBNull(i))
                continue; // the property keeps its default: null
            var stored = ReadValue(reader, i, c.ProviderType);
            c.Property.SetValue(row, c.Mapping.Converter is { } converter ? converter.ConvertFromProvider(stored) : stored);
        }
        return row;
    }

    private static object ReadValue(DbDataReader reader, int ordinal, Type type) =>
        type == typeof(string) ? reader.GetString(ordinal)
        : type == typeof(long) ? reader.GetInt64(ordinal)
        : type == typeof(int) ? reader.GetInt32(ordinal)
        : type == typeof(bool) ? reader.GetBoolean(ordinal)
        : type == typeof(DateTimeOffset) ? reader.GetFieldValue<DateTimeOffset>(ordinal)
        : type == typeof(DateTime) ? reader.GetDateTime(ordinal)
        : type == typeof(byte[]) ? reader.GetFieldValue<byte[]>(ordinal)
        : reader.GetValue(ordinal);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
