using Reframe.TestSupport;

namespace Reframe.Storage.Tests.Postgres;

/// <summary>A fresh database on the test run's real PostgreSQL (see <see cref="PostgresServer"/>).</summary>
public static class PostgresFixture
{
    public static async Task<string> NewDatabaseUrlAsync(string hint)
    {
        var server = await PostgresServer.GetAsync();
        return server.Url(await server.CreateDatabaseAsync(hint));
    }
}
