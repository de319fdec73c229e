using Reframe.Core.Auth;
using Reframe.Storage.Files;

namespace Reframe.Cli.Keys;

/// <summary>
/// The key store the service uses: the shared database when a database URL is given (every node sees a change at
/// once), else the data directory's <c>api-keys.txt</c> (the embedded default, re-read by the service when it changes).
/// </summary>
public static class KeyStores
{
    public static IApiKeyStore Open(string dataDirectory, string? databaseUrl) =>
        string.IsNullOrWhiteSpace(databaseUrl)
            ? FileApiKeyStore.InDataDirectory(dataDirectory)
            : Storage.Postgres.PostgresApiKeyStore.Open(databaseUrl);

    public static string Describe(IApiKeyStore store) => store switch
    {
        FileApiKeyStore file => file.Path,
        _ => "the database",
    };
}
