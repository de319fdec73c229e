using Reframe.Core.Auth;
using Reframe.Server.Configuration;
using Reframe.Storage.Files;

namespace Reframe.Server.Auth;

/// <summary>
/// Builds the key ring at start-up from REFRAME_API_KEYS and the key store. On the embedded default (the keys file),
/// when there is no key at all it creates one, keeps only its hash, and prints the key once on standard output, so a
/// newcomer can call the API at once. On a shared database it creates none (nodes would race to print different
/// keys): operators create keys with <c>reframe keys create --database-url ...</c>.
/// </summary>
public static class ApiKeyBootstrap
{
    public static ApiKeyRing Load(ReframeSettings settings, IApiKeyStore store, TextWriter console, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(console);
        var configured = settings.ApiKeys.Select(ApiKeys.Hash).ToList();
        if (configured.Count == 0 && store is FileApiKeyStore file && store.ListAsync(CancellationToken.None).GetAwaiter().GetResult().Count == 0)
        {
            var key = ApiKeys.NewKey();
            store.AddAsync(ApiKeys.Hash(key), "created-at-first-start", CancellationToken.None).GetAwaiter().GetResult();
            console.WriteLine();
            console.WriteLine("================================================================================");
            console.WriteLine(" Reframe created an API key for this data directory. It is shown only this once:");
            console.WriteLine();
            console.WriteLine($"   {key}");
            console.WriteLine();
            console.WriteLine($" Only its hash is stored, in {file.Path}.");
            console.WriteLine(" Send it as 'Authorization: Bearer <key>'. Set REFRAME_API_KEYS to use your own keys.");
            console.WriteLine("================================================================================");
            console.WriteLine();
            console.Flush();
        }
        return new ApiKeyRing(configured, store, time);
    }
}
