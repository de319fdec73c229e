using Microsoft.Data.Sqlite;

namespace Reframe.Server.Tests.Infrastructure;

/// <summary>Reads the data directory's SQLite file straight from disk (read-only), to check what a service left there.</summary>
public static class TaskRows
{
    public sealed record Row(string Id, int Status, int Attempts, string? FileToken);

    public static Task<IReadOnlyList<Row>> ReadAsync(string dataDirectory)
    {
        var rows = new List<Row>();
        using var connection = OpenReadOnly(dataDirectory);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT id, status, attempts, file_token FROM tasks ORDER BY seq";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            rows.Add(new Row(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3)));
        }
        return Task.FromResult<IReadOnlyList<Row>>(rows);
    }

    /// <summary>SQLite's own <c>PRAGMA integrity_check</c>: "ok" when the file is sound.</summary>
    public static string IntegrityCheck(string dataDirectory)
    {
        using var connection = OpenReadOnly(dataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    private static SqliteConnection OpenReadOnly(string dataDirectory)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "reframe.db")};Mode=ReadOnly;Pooling=False");
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
