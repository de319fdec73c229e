using Npgsql;

namespace Reframe.Storage.Postgres;

/// <summary>
/// The shared schema, created and migrated at start-up. Every node runs <see cref="MigrateAsync"/>; a transaction-scoped
/// advisory lock makes them take turns, so nodes starting at once apply each migration exactly once and the others
/// find it done. <c>reframe_schema_version</c> records what is applied. Migrations are append-only: never edit one
/// that shipped, add the next. Times are Unix milliseconds from the service's clock (as in the SQLite schema), so
/// leases and retention follow one clock in tests and production alike.
/// </summary>
public static class PostgresSchema
{
    /// <summary>An arbitrary constant: the advisory lock that serialises migrations across nodes.</summary>
    private const long MigrationLock = 0x5245_4652_414d_4531; // "REFRAME1"

    private static readonly string[] Migrations =
    [
        // 1: tasks (the queue), webhook deliveries, API keys, and the trigger that announces task changes.
        """
        CREATE TABLE reframe_tasks (
            seq               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- queue order
            id                uuid     NOT NULL UNIQUE,
            owner_id          text     NOT NULL,
            status            smallint NOT NULL,                                 -- GenerationTaskStatus
            request_json      text     NOT NULL,                                 -- emptied once final
            seed              bigint   NOT NULL,
            created_at        bigint   NOT NULL,
            started_at        bigint,
            ended_at          bigint,
            expires_at        bigint,
            attempts          integer  NOT NULL DEFAULT 0,
            lease_token       uuid,
            lease_owner       text,
            lease_expires_at  bigint,
            cancel_requested  boolean  NOT NULL DEFAULT false,
            progress_json     text,
            result_json       text,
            file_token        text,
            error_name        text,
            error_message     text
        );
        CREATE INDEX reframe_tasks_queued   ON reframe_tasks (seq) WHERE status = 0;
        CREATE INDEX reframe_tasks_leased   ON reframe_tasks (lease_expires_at) WHERE status = 1;
        CREATE INDEX reframe_tasks_active   ON reframe_tasks (owner_id) WHERE status IN (0, 1);
        CREATE INDEX reframe_tasks_expiry   ON reframe_tasks (expires_at) WHERE expires_at IS NOT NULL;
        CREATE INDEX reframe_tasks_file     ON reframe_tasks (file_token) WHERE file_token IS NOT NULL;

        -- Every committed change reaches every node: workers wake on reframe_queue, the worker holding a task hears
        -- reframe_cancel, event streams re-read on reframe_task. Identical notifications of one transaction are
        -- folded into one by PostgreSQL, so a batch of submissions wakes the workers once.
        CREATE FUNCTION reframe_tasks_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.status = 0 AND (TG_OP = 'INSERT' OR OLD.status <> 0) THEN
                PERFORM pg_notify('reframe_queue', '');
            END IF;
            IF TG_OP = 'UPDATE' THEN
                IF NEW.cancel_requested AND NOT OLD.cancel_requested THEN
                    PERFORM pg_notify('reframe_cancel', NEW.id::text);
                END IF;
                IF NEW.status <> OLD.status OR NEW.progress_json IS DISTINCT FROM OLD.progress_json
                   OR NEW.cancel_requested <> OLD.cancel_requested THEN
                    PERFORM pg_notify('reframe_task', NEW.id::text);
                END IF;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER reframe_tasks_notify AFTER INSERT OR UPDATE ON reframe_tasks
            FOR EACH ROW EXECUTE FUNCTION reframe_tasks_notify();

        CREATE TABLE reframe_webhook_deliveries (
            delivery_id      text     PRIMARY KEY,
            task_id          uuid     NOT NULL UNIQUE,
            owner_id         text     NOT NULL,
            url              text     NOT NULL,
            public_base_url  text     NOT NULL,
            state            smallint NOT NULL,                                  -- WebhookDeliveryState
            body             text,
            attempts         integer  NOT NULL DEFAULT 0,
            next_attempt_at  bigint   NOT NULL,
            last_error       text,
            created_at       bigint   NOT NULL,
            finished_at      bigint
        );
        CREATE INDEX reframe_webhook_deliveries_due ON reframe_webhook_deliveries (state, next_attempt_at);

        CREATE TABLE reframe_api_keys (
            hash        bytea  PRIMARY KEY,                                       -- SHA-256 of the key
            label       text   NOT NULL,
            created_at  bigint NOT NULL
        );
        """,
        // 2: idempotency keys on the task row (unique per owner while the task exists) and the per-owner history index.
        """
        ALTER TABLE reframe_tasks ADD COLUMN idempotency_key text, ADD COLUMN request_hash text;
        CREATE UNIQUE INDEX reframe_tasks_idempotency ON reframe_tasks (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE INDEX reframe_tasks_owner ON reframe_tasks (owner_id, seq);
        """,
    ];

    /// <summary>The version this build expects.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>Applies the migrations this database lacks; returns the version it is at.</summary>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@lock)", connection, tx))
        {
            lockCommand.Parameters.AddWithValue("lock", MigrationLock);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var create = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS reframe_schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            connection, tx))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        int current;
        await using (var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM reframe_schema_version", connection, tx))
        {
            current = (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {current}, newer than this build knows ({Migrations.Length}): upgrade this node before starting it.");
        }
        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            await using var migrate = new NpgsqlCommand(Migrations[version - 1], connection, tx);
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand("INSERT INTO reframe_schema_version (version) VALUES (@v)", connection, tx);
            record.Parameters.AddWithValue("v", version);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Migrations.Length;
    }
}
