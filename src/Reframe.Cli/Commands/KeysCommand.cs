using System.CommandLine;
using Reframe.Cli.Keys;

namespace Reframe.Cli.Commands;

/// <summary>
/// <c>reframe keys create|list|revoke</c> on the embedded default's data directory (<c>api-keys.txt</c>).
/// The service reads the file at start-up, so a change applies at its next start.
/// </summary>
public static class KeysCommand
{
    public const string DataDirectoryVariable = "REFRAME_DATA_DIR";

    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir", "-d")
        {
            Description = $"the service's data directory (env {DataDirectoryVariable}, default ./data)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(DataDirectoryVariable) is { Length: > 0 } v ? v : "./data",
            Recursive = true,
        };
        var command = new Command("keys", "Create, list and revoke the API keys of a local service's data directory.") { dataDir };
        command.Subcommands.Add(CreateCommand(dataDir));
        command.Subcommands.Add(ListCommand(dataDir));
        command.Subcommands.Add(RevokeCommand(dataDir));
        return command;
    }

    private static Command CreateCommand(Option<string> dataDir)
    {
        var label = new Option<string>("--label", "-l")
        {
            Description = "a name to recognise the key by (no spaces)",
            DefaultValueFactory = _ => "cli-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture),
        };
        var command = new Command("create", "Create a key; it is printed once on standard output and only its hash is kept.") { label };
        command.SetAction(parse =>
        {
            var path = KeysFile.PathIn(parse.GetValue(dataDir)!);
            var key = KeysFile.Create(path, parse.GetValue(label)!);
            Console.Out.WriteLine(key);
            Console.Error.WriteLine($"Added to {path}. It is shown only now; restart the service to accept it.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand(Option<string> dataDir)
    {
        var command = new Command("list", "List the accepted keys by hash prefix and label (the keys themselves are not stored).");
        command.SetAction(parse =>
        {
            var path = KeysFile.PathIn(parse.GetValue(dataDir)!);
            var entries = KeysFile.List(path);
            if (entries.Count == 0)
            {
                Console.Error.WriteLine($"No keys in {path}. Create one with: reframe keys create --label NAME");
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

    private static Command RevokeCommand(Option<string> dataDir)
    {
        var selector = new Argument<string>("key-or-label") { Description = "the key itself, its label, or its hash prefix as 'keys list' shows it" };
        var command = new Command("revoke", "Remove a key; the service refuses it from its next start.") { selector };
        command.SetAction(parse =>
        {
            var path = KeysFile.PathIn(parse.GetValue(dataDir)!);
            var removed = KeysFile.Revoke(path, parse.GetValue(selector)!);
            if (removed.Count == 0)
            {
                throw new CliException(ExitCodes.Usage, $"No key in {path} matches; 'reframe keys list' shows the labels and hash prefixes.");
            }
            foreach (var entry in removed)
            {
                Console.Error.WriteLine($"revoked {entry.ShortHash}  {entry.Label}");
            }
            Console.Error.WriteLine("Restart the service to apply.");
            return ExitCodes.Success;
        });
        return command;
    }
}
