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
            error_message     TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_tasks_queue  ON tasks(status, seq);
        CREATE INDEX IF NOT EXISTS ix_tasks_expiry ON tasks(expires_at) WHERE expires_at IS NOT NULL;
        """;
}
