using Microsoft.Data.Sqlite;
using Reframe.Core.Tasks;

namespace Reframe.Storage.Sqlite;

/// <summary>
/// Idempotency keys live on the task row (unique per owner), so a key lasts exactly as long as its task: until the
/// task's retention ends, or it is deleted. A row past its retention that the purge has not reached yet gives its key up.
/// </summary>
internal static class SqliteIdempotency
{
    public static IdempotentSubmission? Find(SqliteConnection connection, SqliteTransaction? tx, string ownerId, string key, long nowMs)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            SELECT id, request_hash FROM tasks
            WHERE owner_id = $owner AND idempotency_key = $key AND (expires_at IS NULL OR expires_at > $now)
            """;
        cmd.Parameters.AddWithValue("$owner", ownerId);
        cmd.Parameters.AddWithValue("$key", key);
        cmd.Parameters.AddWithValue("$now", nowMs);
        using var r = cmd.ExecuteReader();
        return r.Read() ? new IdempotentSubmission(Guid.Parse(r.GetString(0)), r.IsDBNull(1) ? "" : r.GetString(1)) : null;
    }

    public static void ReleaseExpired(SqliteConnection connection, SqliteTransaction tx, string ownerId, string key, long nowMs)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            UPDATE tasks SET idempotency_key = NULL
            WHERE owner_id = $owner AND idempotency_key = $key AND expires_at IS NOT NULL AND expires_at <= $now
            """;
        cmd.Parameters.AddWithValue("$owner", ownerId);
        cmd.Parameters.AddWithValue("$key", key);
        cmd.Parameters.AddWithValue("$now", nowMs);
        cmd.ExecuteNonQuery();
    }
}
