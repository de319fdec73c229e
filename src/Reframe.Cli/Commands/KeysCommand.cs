using System.CommandLine;
using Reframe.Cli.Keys;
using Reframe.Core.Auth;

namespace Reframe.Cli.Commands;

/// <summary>
/// <c>reframe keys create|list|revoke</c> on the service's key store: the data directory's <c>api-keys.txt</c>
/// (embedded default), or the shared database with <c>--database-url</c> / REFRAME_DATABASE_URL. The service looks
/// keys up on every request, so a change applies on every node without a restart.
/// </summary>
public static class KeysCommand
{
    public const string DataDirectoryVariable = "REFRAME_DATA_DIR";
    public const string DatabaseUrlVariable = "REFRAME_DATABASE_URL";

    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir", "-d")
        {
            Description = $"the service's data directory (env {DataDirectoryVariable}, default ./data)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(DataDirectoryVariable) is { Length: > 0 } v ? v : "./data",
            Recursive = true,
        };
        var databaseUrl = new Option<string?>("--database-url")
        {
            Description = $"the PostgreSQL database of a scale-out service (env {DatabaseUrlVariable}); keys then live there",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(DatabaseUrlVariable) is { Length: > 0 } v ? v : null,
            Recursive = true,
        };
        var command = new Command("keys", "Create, list and revoke the API keys of a service (its data directory or its database).") { dataDir, databaseUrl };
        command.Subcommands.Add(CreateCommand(dataDir, databaseUrl));
        command.Subcommands.Add(ListCommand(dataDir, databaseUrl));
        command.Subcommands.Add(RevokeCommand(dataDir, databaseUrl));
        return command;
    }

    private static IApiKeyStore Open(ParseResult parse, Option<string> dataDir, Option<string?> databaseUrl) =>
        KeyStores.Open(parse.GetValue(dataDir)!, parse.GetValue(databaseUrl));

    private static Command CreateCommand(Option<string> dataDir, Option<string?> databaseUrl)
    {
        var label = new Option<string>("--label", "-l")
        {
            Description = "a name to recognise the key by (no spaces)",
            DefaultValueFactory = _ => "cli-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture),
        };
        var command = new Command("create", "Create a key; it is printed once on standard output and only its hash is kept.") { label };
        command.SetAction(async (parse, ct) =>
        {
            var store = Open(parse, dataDir, databaseUrl);
            var name = parse.GetValue(label)!;
            try
            {
                ApiKeys.ValidateLabel(name);
            }
            catch (ArgumentException e)
            {
                throw new CliException(ExitCodes.Usage, e.Message);
            }
            var key = ApiKeys.NewKey();
            await store.AddAsync(ApiKeys.Hash(key), name, ct).ConfigureAwait(false);
            Console.Out.WriteLine(key);
            Console.Error.WriteLine($"Added to {KeyStores.Describe(store)}. It is shown only now; the service accepts it at once.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand(Option<string> dataDir, Option<string?> databaseUrl)
    {
        var command = new Command("list", "List the accepted keys by hash prefix and label (the keys themselves are not stored).");
        command.SetAction(async (parse, ct) =>
        {
            var store = Open(parse, dataDir, databaseUrl);
            var entries = await store.ListAsync(ct).ConfigureAwait(false);
            if (entries.Count == 0)
            {
                Console.Error.WriteLine($"No keys in {KeyStores.Describe(store)}. Create one with: reframe keys create --label NAME");
                return ExitCodes.Success;
            }
            foreach (var entry in entries)
            {
                Console.Out.WriteLine($"{entry.ShortHash}  {entry.Label}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RevokeCommand(Option<string> dataDir, Option<string?> databaseUrl)
    {
        var selector = new Argument<string>("key-or-label") { Description = "the key itself, its label, or its hash prefix as 'keys list' shows it" };
        var command = new Command("revoke", "Remove a key; the service refuses it within seconds, on every node.") { selector };
        command.SetAction(async (parse, ct) =>
        {
            var store = Open(parse, dataDir, databaseUrl);
            var removed = await store.RevokeAsync(parse.GetValue(selector)!, ct).ConfigureAwait(false);
            if (removed.Count == 0)
            {
                throw new CliException(ExitCodes.Usage, $"No key in {KeyStores.Describe(store)} matches; 'reframe keys list' shows the labels and hash prefixes.");
            }
            foreach (var entry in removed)
            {
                Console.Error.WriteLine($"revoked {entry.ShortHash}  {entry.Label}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
