using Npgsql;
using Reframe.Core.Auth;

namespace Reframe.Storage.Postgres;

/// <summary>
/// <see cref="IApiKeyStore"/> on PostgreSQL: <c>reframe_api_keys</c>, keyed by the SHA-256 of the key. Every node looks a
/// presented key up here, so a key the CLI creates or revokes applies on all of them without a restart.
/// </summary>
public sealed class PostgresApiKeyStore : IApiKeyStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _db;
    private readonly bool _ownsDataSource;
    private readonly TimeProvider _time;

    internal PostgresApiKeyStore(NpgsqlDataSource db, TimeProvider time, bool ownsDataSource = false)
    {
        _db = db;
        _time = time;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>For the CLI: connects, brings the schema up to date, and owns the connection pool.</summary>
    public static PostgresApiKeyStore Open(string databaseUrl)
    {
        var db = PostgresConnection.CreateDataSource(databaseUrl, "reframe-cli");
        PostgresSchema.MigrateAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return new PostgresApiKeyStore(db, TimeProvider.System, ownsDataSource: true);
    }

    public async Task AddAsync(byte[] sha256, string label, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        ApiKeys.ValidateLabel(label);
        await using var cmd = _db.CreateCommand("""
            INSERT INTO reframe_api_keys (hash, label, created_at) VALUES (@hash, @label, @now)
            ON CONFLICT (hash) DO UPDATE SET label = EXCLUDED.label
            """);
        cmd.Parameters.AddWithValue("hash", sha256);
        cmd.Parameters.AddWithValue("label", label);
        cmd.Parameters.AddWithValue("now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var cmd = _db.CreateCommand("SELECT hash, label FROM reframe_api_keys ORDER BY created_at, hash");
        var keys = new List<ApiKeyRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new ApiKeyRecord(Convert.ToHexStringLower((byte[])r[0]), r.GetString(1)));
        }
        return keys;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> RevokeAsync(string selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var matches = (await ListAsync(cancellationToken).ConfigureAwait(false)).Where(k => k.Matches(selector)).ToList();
        if (matches.Count == 0)
        {
            return matches;
        }
        await using var cmd = _db.CreateCommand("DELETE FROM reframe_api_keys WHERE hash = ANY(@hashes)");
        cmd.Parameters.AddWithValue("hashes", matches.Select(m => Convert.FromHexString(m.HashHex)).ToArray());
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return matches;
    }

    public async Task<bool> ContainsAsync(byte[] sha256, CancellationToken cancellationToken)
    {
        await using var cmd = _db.CreateCommand("SELECT 1 FROM reframe_api_keys WHERE hash = @hash");
        cmd.Parameters.AddWithValue("hash", sha256);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _db.DisposeAsync().ConfigureAwait(false);
        }
    }
}
