using Microsoft.Data.Sqlite;

namespace Reframe.Storage.Sqlite;

/// <summary>The tasks table. Times are Unix milliseconds (UTC); statuses are <see cref="Core.Tasks.GenerationTaskStatus"/> values.</summary>
internal static class SqliteSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS tasks (
            seq               INTEGER PRIMARY KEY AUTOINCREMENT,  -- queue order
            id                TEXT    NOT NULL UNIQUE,
            owner_id          TEXT    NOT NULL,
            status            INTEGER NOT NULL,
            request_json      TEXT    NOT NULL,                   -- emptied once the task is final (inputs can be large)
            seed              INTEGER NOT NULL,
            created_at        INTEGER NOT NULL,
            started_at        INTEGER,
            ended_at          INTEGER,
            expires_at        INTEGER,
            attempts          INTEGER NOT NULL DEFAULT 0,
            lease_token       TEXT,
            lease_owner       TEXT,
            lease_expires_at  INTEGER,
            cancel_requested  INTEGER NOT NULL DEFAULT 0,
            progress_json     TEXT,
            result_json       TEXT,
            file_token        TEXT,
            error_name        TEXT,
            error_message     TEXT,
            idempotency_key   TEXT,                               -- the client's Idempotency-Key, per owner
            request_hash      TEXT                                -- of the request as sent, compared on a repeated key
        );
        CREATE INDEX IF NOT EXISTS ix_tasks_queue  ON tasks(status, seq);
        CREATE INDEX IF NOT EXISTS ix_tasks_expiry ON tasks(expires_at) WHERE expires_at IS NOT NULL;
        """;

    /// <summary>Run after <see cref="Create"/>: brings a file made by an earlier version up to date (columns, then the indexes on them).</summary>
    public static void Upgrade(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM pragma_table_info('tasks') WHERE name = 'idempotency_key'";
        if ((long)cmd.ExecuteScalar()! == 0)
        {
            cmd.CommandText = "ALTER TABLE tasks ADD COLUMN idempotency_key TEXT; ALTER TABLE tasks ADD COLUMN request_hash TEXT;";
            cmd.ExecuteNonQuery();
        }
        // History pages walk one owner's rows by seq; a key names at most one live task of its owner; the orphan sweep
        // looks each result file's token up (SQLite uses the partial index for "file_token = ?").
        cmd.CommandText = """
            CREATE INDEX IF NOT EXISTS ix_tasks_owner ON tasks(owner_id, seq);
            CREATE INDEX IF NOT EXISTS ix_tasks_file_token ON tasks(file_token) WHERE file_token IS NOT NULL;
            CREATE UNIQUE INDEX IF NOT EXISTS ux_tasks_idempotency ON tasks(owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
            """;
        cmd.ExecuteNonQuery();
    }
}
