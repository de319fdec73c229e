using Microsoft.Data.Sqlite;

namespace Reframe.Storage.Sqlite;

/// <summary>
/// A pooled reader connection with its prepared commands. Polling reads run the same few statements thousands of
/// times a second; preparing each once per connection saves the parse on every call.
/// </summary>
public sealed class ReaderSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    internal ReaderSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>The command for <paramref name="sql"/> on this connection, prepared on first use; parameters are reset by the caller.</summary>
    public SqliteCommand Command(string sql, params string[] parameterNames)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = Connection.CreateCommand();
            cmd.CommandText = sql;
            foreach (var name in parameterNames)
            {
                cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            cmd.Prepare();
            _commands[sql] = cmd;
        }
        return cmd;
    }

    public void Dispose()
    {
        foreach (var cmd in _commands.Values)
        {
            cmd.Dispose();
        }
        Connection.Dispose();
    }
}
