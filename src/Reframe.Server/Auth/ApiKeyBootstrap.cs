using Reframe.Server.Configuration;

namespace Reframe.Server.Auth;

/// <summary>
/// Builds the key ring at start-up from REFRAME_API_KEYS and the keys file. On a data directory with neither,
/// it creates one key, keeps only its hash, and prints the key once on standard output, so a newcomer can call
/// the API at once without reading any configuration.
/// </summary>
public static class ApiKeyBootstrap
{
    public static ApiKeyRing Load(ReframeSettings settings, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);
        var path = Path.Combine(settings.DataDirectory, ApiKeyFile.FileName);
        var hashes = settings.ApiKeys.Select(ApiKeyRing.Hash).Concat(ApiKeyFile.Read(path)).ToList();
        if (hashes.Count == 0)
        {
            var key = ApiKeyFile.CreateKey(path, "created-at-first-start");
            hashes.Add(ApiKeyRing.Hash(key));
            console.WriteLine();
            console.WriteLine("================================================================================");
            console.WriteLine(" Reframe created an API key for this data directory. It is shown only this once:");
            console.WriteLine();
            console.WriteLine($"   {key}");
            console.WriteLine();
            console.WriteLine($" Only its hash is stored, in {path}.");
            console.WriteLine(" Send it as 'Authorization: Bearer <key>'. Set REFRAME_API_KEYS to use your own keys.");
            console.WriteLine("================================================================================");
            console.WriteLine();
            console.Flush();
        }
        return new ApiKeyRing(hashes);
    }
}
