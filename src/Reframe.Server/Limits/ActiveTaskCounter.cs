using Microsoft.Data.Sqlite;
using Reframe.Storage.Sqlite;

namespace Reframe.Server.Limits;

/// <summary>
/// Counts a key's queued and generating tasks straight from the task database (read-only connection; WAL lets it
/// read beside the writer), so the count survives restarts and includes tasks of every worker.
/// </summary>
public sealed class ActiveTaskCounter(SqliteBackend backend)
{
    // The store's status codes: 0 queued, 1 generating (see SqliteSchema).
    private const string Sql = "SELECT COUNT(*) FROM tasks WHERE owner_id = $owner AND status IN (0, 1)";

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = backend.DatabasePath,
        Mode = SqliteOpenMode.ReadOnly,
        DefaultTimeout = 30,
    }.ToString();

    public async Task<long> CountAsync(string ownerId, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.AddWithValue("$owner", ownerId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
