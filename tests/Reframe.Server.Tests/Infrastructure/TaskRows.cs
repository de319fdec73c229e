using Microsoft.Data.Sqlite;

namespace Reframe.Server.Tests.Infrastructure;

/// <summary>Reads the tasks table straight from the data directory's SQLite file (read-only), to check what is on disk.</summary>
public static class TaskRows
{
    public sealed record Row(string Id, int Status, int Attempts, string? FileToken);

    public static Task<IReadOnlyList<Row>> ReadAsync(string dataDirectory)
    {
        var rows = new List<Row>();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "reframe.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT id, status, attempts, file_token FROM tasks ORDER BY seq";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            rows.Add(new Row(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3)));
        }
        return Task.FromResult<IReadOnlyList<Row>>(rows);
    }
}
